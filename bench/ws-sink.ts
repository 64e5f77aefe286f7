/**
 * The baseline's receiving end, in its own process: a bare `ws` server (deflate off, bufferutil loaded,
 * as kactor brokers run it) that counts the bytes of every binary frame and answers "done" once it has
 * seen the expected total. It prints its port on stdout when listening.
 */
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
server.on('listening', () => {
  const address = server.address();
  if (typeof address === 'object' && address !== null) process.stdout.write(`${address.port}\n`);
});
server.on('connection', (socket) => {
  let expectedBytes = -1;
  let receivedBytes = 0;
  socket.on('message', (data, isBinary) => {
    if (!isBinary) {
      expectedBytes = Number(data.toString());
    } else {
      receivedBytes += (data as Buffer).byteLength;
    }
    if (expectedBytes >= 0 && receivedBytes >= expectedBytes) {
      socket.send('done');
      expectedBytes = -1;
      receivedBytes = 0;
    }
  });
});
process.on('disconnect', () => process.exit(0));
