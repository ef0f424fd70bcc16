// Starts the CMDB stand-in: `tsx tests/sandbox/stand-ins/cmdb/main.ts --port <port>` (127.0.0.1 only). The sandbox's
// up.ts starts it (src/cmdb.ts, CMDB_STANDIN_URL); tests needing their own estate or faults may also start it
// in-process on a free loopback port.
import { createCmdbStandIn } from './server.js';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
const server = createCmdbStandIn();
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(
    `CMDB stand-in listening on 127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
  );
});
