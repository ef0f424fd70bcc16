// Starts the WeCom stand-in: `tsx tests/sandbox/stand-ins/wecom/main.ts --port <port>` (127.0.0.1 only).
import { createWecomStandIn } from './server.js';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
const server = createWecomStandIn();
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(
    `WeCom stand-in listening on 127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
  );
});
