// S3 stand-in for local development and tests: @20minutes/s3rver (validates SigV4; only the S3RVER/S3RVER key
// pair works). The package ships no CLI, so this starts it:
//   NODE_PATH=<dir with node_modules> node start.js <port> <data dir>
// Prints "listening <address>:<port>" once ready; stops on SIGTERM/SIGINT.
'use strict';
const S3rver = require('@20minutes/s3rver');

const port = Number(process.argv[2]);
const directory = process.argv[3];
if (!port || !directory) {
  console.error('usage: node start.js <port> <data dir>');
  process.exit(2);
}
const server = new S3rver({ port, address: '127.0.0.1', directory, silent: true, vhostBuckets: false });
server
  .run()
  .then(({ address, port: bound }) => console.log(`listening ${address}:${bound}`))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close().finally(() => process.exit(0)));
}
