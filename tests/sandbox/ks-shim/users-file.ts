// The sandbox's users.json, re-read when its mtime changes (the sandbox rewrites it when it adds users).
import { readFileSync, statSync } from 'node:fs';
import type { SandboxUser } from '../src/env.js';

export class UsersFile {
  #mtime = -1;
  #users: SandboxUser[] = [];
  constructor(private readonly file: string) {}
  all(): SandboxUser[] {
    const mtime = statSync(this.file).mtimeMs;
    if (mtime !== this.#mtime) {
      this.#users = JSON.parse(readFileSync(this.file, 'utf8')) as SandboxUser[];
      this.#mtime = mtime;
    }
    return this.#users;
  }
  find(name: string): SandboxUser | undefined {
    return this.all().find((u) => u.name === name);
  }
}
