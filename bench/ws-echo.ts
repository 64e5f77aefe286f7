/**
 * The round-trip baseline's far end, in its own process: a bare `ws` server (deflate off, as kactor brokers
 * run it) that sends every binary frame straight back. It prints its port on stdout when listening.
 */
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('listening', () => {
  const address = server.address();
  if (typeof address === 'object' && address !== null) process.stdout.write(`${address.port}\n`);
});
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
});
process.on('disconnect', () => process.exit(0));
