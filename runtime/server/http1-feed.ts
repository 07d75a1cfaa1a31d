/**
 * Node 20 lets its HTTP/1 parser read a connection's bytes straight from the TLS stream ("consumed"). On that path a
 * paused connection still hands cleartext TLS has already decrypted to the parser: when a request arrives while the
 * previous response is still being written (pipelining, or a busy event loop that has not yet seen the socket
 * drain), the server pauses the parser, the rest of the request body reaches it anyway, and it fails with "Parse
 * Error: Paused": the connection is reset in the middle of a request. A listener for 'data' makes Node feed the parser
 * through the socket's stream events instead, where pausing holds the bytes until the connection resumes.
 */
import type { Server as TLSServer, TLSSocket } from 'node:tls';

const ignore = () => {};

/** Call after the HTTP server is created: its own 'secureConnection' listener has to set up the parser first. */
export function feedHttp1ParsersThroughStreams(server: TLSServer): void {
  server.on('secureConnection', (socket: TLSSocket) => {
    // HTTP/2 sessions read the socket themselves.
    if (socket.alpnProtocol !== 'h2') socket.on('data', ignore);
  });
}
