// Load profiles: what a GPU reads while a pod holds it. Every reading is a pure function of
// (profile, seconds since the pod started, GPU index, board caps), so tests can predict the series.
import type { GpuModelSpec } from './gpu-models.js';
import type { PodLike } from './k8s-types.js';

export const ANNOTATION_PREFIX = 'sandbox.ks-gpu-ml.io/';
export const ANNOTATIONS = {
  profile: `${ANNOTATION_PREFIX}gpu-profile`,
  xidCode: `${ANNOTATION_PREFIX}xid-code`,
  xidAt: `${ANNOTATION_PREFIX}xid-at`,
} as const;

export const GPU_PROFILES = ['busy', 'idle', 'memory-leak', 'xid', 'overheat'] as const;
export type GpuProfile = (typeof GPU_PROFILES)[number];
/** What a GPU no pod holds reads like. */
export type Load = GpuProfile | 'unallocated';

export interface ProfileOptions {
  /** XID code the xid profile raises. */
  xidCode: number;
  /** Seconds after pod start when the xid profile raises it. */
  xidAtSeconds: number;
}

export const DEFAULT_PROFILE: GpuProfile = 'busy';
export const DEFAULT_PROFILE_OPTIONS: ProfileOptions = { xidCode: 79, xidAtSeconds: 60 };

/** Board numbers a reading is scaled by (a MIG instance passes its own framebuffer size). */
export type DeviceCaps = Pick<
  GpuModelSpec,
  'fbTotalMiB' | 'powerLimitW' | 'idlePowerW' | 'maxSmClockMHz' | 'idleSmClockMHz' | 'memClockMHz'
>;

export interface GpuReading {
  smClockMHz: number;
  memClockMHz: number;
  gpuTempC: number;
  memoryTempC: number;
  powerW: number;
  gpuUtil: number;
  memCopyUtil: number;
  encUtil: number;
  decUtil: number;
  /** Last XID code seen; 0 = none. */
  xid: number;
  fbUsedMiB: number;
  grEngineActive: number;
  tensorActive: number;
  dramActive: number;
  pcieTxBytesPerSec: number;
  pcieRxBytesPerSec: number;
  /** Rate the NVLink bandwidth counter grows by. */
  nvlinkBytesPerSec: number;
}

type Range = readonly [min: number, max: number];

export interface LoadShape {
  util: Range;
  memCopyUtil: Range;
  grEngineActive: Range;
  tensorActive: Range;
  dramActive: Range;
  /** Share of the framebuffer in use. */
  fbFraction: Range;
  /** Share of the gap between idle power and the power limit. */
  powerFraction: Range;
  tempC: Range;
  /** SM clock: the board's max (under load) or its idle clock. */
  smClock: 'max' | 'idle' | 'throttled';
  pcieBytesPerSec: Range;
  nvlinkBytesPerSec: Range;
}

const busy: LoadShape = {
  util: [90, 100],
  memCopyUtil: [35, 55],
  grEngineActive: [0.9, 1.0],
  tensorActive: [0.55, 0.75],
  dramActive: [0.45, 0.65],
  fbFraction: [0.8, 0.9],
  powerFraction: [0.75, 0.9],
  tempC: [66, 74],
  smClock: 'max',
  pcieBytesPerSec: [1.5e9, 3e9],
  nvlinkBytesPerSec: [4e10, 6e10],
};

const quiet: LoadShape = {
  util: [0, 0],
  memCopyUtil: [0, 0],
  grEngineActive: [0, 0],
  tensorActive: [0, 0],
  dramActive: [0, 0],
  fbFraction: [0, 0],
  powerFraction: [0, 0],
  tempC: [30, 33],
  smClock: 'idle',
  pcieBytesPerSec: [2e4, 4e4],
  nvlinkBytesPerSec: [0, 0],
};

/** The profile table; ranges are swept by a slow per-GPU wave (see wave()). */
export const PROFILE_TABLE: Record<Load, LoadShape> = {
  busy,
  // Allocated but doing nothing: a CUDA context holds a little memory, the engines are idle.
  idle: { ...quiet, fbFraction: [0.01, 0.01], tempC: [34, 36], pcieBytesPerSec: [1e5, 2e5] },
  'memory-leak': { ...busy, util: [50, 70], grEngineActive: [0.5, 0.7], tensorActive: [0.3, 0.4] },
  xid: busy,
  overheat: { ...busy, tempC: [91, 95], powerFraction: [0.97, 1.0], smClock: 'throttled' },
  unallocated: quiet,
};

/** memory-leak: FB used starts at 10 % of the board and grows 10 points a minute up to 98 %. */
export const MEMORY_LEAK = { startFraction: 0.1, fractionPerMinute: 0.1, maxFraction: 0.98 } as const;

/** Period of the load wave; each GPU index is phase-shifted so GPUs do not move in lockstep. */
export const WAVE_PERIOD_SECONDS = 120;

/** A deterministic value in [-1, 1]: a sine over time, shifted per GPU index. */
export function wave(seconds: number, gpuIndex: number): number {
  return Math.sin((2 * Math.PI * seconds) / WAVE_PERIOD_SECONDS + gpuIndex * 0.7);
}

function sweep([min, max]: Range, w: number): number {
  return min + ((max - min) * (w + 1)) / 2;
}

/** The reading of a GPU under a load, `seconds` after the holding pod started. */
export function gpuReading(
  load: Load,
  seconds: number,
  gpuIndex: number,
  caps: DeviceCaps,
  options: ProfileOptions = DEFAULT_PROFILE_OPTIONS,
): GpuReading {
  const crashed = load === 'xid' && seconds >= options.xidAtSeconds;
  // After the XID the job's kernels are gone: the engines fall idle, its memory stays mapped.
  const shape = crashed
    ? { ...PROFILE_TABLE.busy, ...activityOf(PROFILE_TABLE.unallocated) }
    : PROFILE_TABLE[load];
  const w = wave(seconds, gpuIndex);
  const gpuTempC = Math.round(sweep(shape.tempC, w));
  const fbFraction =
    load === 'memory-leak'
      ? Math.min(
          MEMORY_LEAK.maxFraction,
          MEMORY_LEAK.startFraction + (MEMORY_LEAK.fractionPerMinute * seconds) / 60,
        )
      : sweep(shape.fbFraction, w);
  const pcie = sweep(shape.pcieBytesPerSec, w);
  return {
    smClockMHz: smClock(shape.smClock, caps),
    memClockMHz: caps.memClockMHz,
    gpuTempC,
    memoryTempC: gpuTempC + (load === 'overheat' ? 6 : 4),
    powerW: round3(caps.idlePowerW + (caps.powerLimitW - caps.idlePowerW) * sweep(shape.powerFraction, w)),
    gpuUtil: Math.round(sweep(shape.util, w)),
    memCopyUtil: Math.round(sweep(shape.memCopyUtil, w)),
    encUtil: 0,
    decUtil: 0,
    xid: crashed ? options.xidCode : 0,
    fbUsedMiB: Math.round(caps.fbTotalMiB * fbFraction),
    grEngineActive: round6(sweep(shape.grEngineActive, w)),
    tensorActive: round6(sweep(shape.tensorActive, w)),
    dramActive: round6(sweep(shape.dramActive, w)),
    pcieTxBytesPerSec: Math.round(pcie),
    pcieRxBytesPerSec: Math.round(pcie * 1.2),
    nvlinkBytesPerSec: Math.round(sweep(shape.nvlinkBytesPerSec, w)),
  };
}

function activityOf(shape: LoadShape): Partial<LoadShape> {
  const { util, memCopyUtil, grEngineActive, tensorActive, dramActive, powerFraction, smClock } = shape;
  return { util, memCopyUtil, grEngineActive, tensorActive, dramActive, powerFraction, smClock };
}

function smClock(kind: LoadShape['smClock'], caps: DeviceCaps): number {
  if (kind === 'max') return caps.maxSmClockMHz;
  if (kind === 'idle') return caps.idleSmClockMHz;
  return Math.round(caps.maxSmClockMHz * 0.75); // thermal slowdown
}

const round3 = (v: number): number => Math.round(v * 1e3) / 1e3;
const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** Go-style durations as written in annotations: "90s", "2m", "1m30s", "1h", "500ms"; bare numbers are seconds. */
export function parseDurationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  let rest = trimmed;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return trimmed.length > 0 ? total : undefined;
}

export interface PodLoad {
  profile: GpuProfile;
  options: ProfileOptions;
}

/** The profile and options a pod's annotations ask for; unknown or malformed values fall back to defaults. */
export function podLoad(pod: PodLike): PodLoad {
  const annotations = pod.metadata?.annotations ?? {};
  const requested = annotations[ANNOTATIONS.profile]?.trim();
  const profile = GPU_PROFILES.find((p) => p === requested) ?? DEFAULT_PROFILE;
  const code = Number.parseInt(annotations[ANNOTATIONS.xidCode] ?? '', 10);
  const at = parseDurationSeconds(annotations[ANNOTATIONS.xidAt] ?? '');
  return {
    profile,
    options: {
      xidCode: code > 0 ? code : DEFAULT_PROFILE_OPTIONS.xidCode,
      xidAtSeconds: at ?? DEFAULT_PROFILE_OPTIONS.xidAtSeconds,
    },
  };
}
