// One socket.io-client 4.x connection, driven by accounts-web's tests (SocketIoNode): the options come as JSON in
// argv[2]; everything the client sees is printed as one JSON line; the process ends on a disconnect or a
// connect_error, or when its standard input closes.
const { io } = require("socket.io-client");

const options = JSON.parse(process.argv[2]);
const say = (line) => process.stdout.write(JSON.stringify(line) + "\n");

const socket = io(options.url, {
  path: options.path,
  auth: options.auth,
  transports: options.transports,
  upgrade: options.upgrade !== false,
  extraHeaders: options.extraHeaders,
  reconnection: false,
  timeout: 20000,
});

if (options.traceEngine) {
  // The engine's own transport, from its opening: an upgrade may finish before the CONNECT is answered.
  socket.io.on("open", () => {
    say({ on: "open", transport: socket.io.engine.transport.name });
    socket.io.engine.on("upgrade", (transport) => say({ on: "upgrade", transport: transport.name }));
  });
}
socket.on("connect", () => say({ on: "connect", transport: socket.io.engine.transport.name }));
for (const name of ["ready", "event", "message"]) {
  socket.on(name, (data) => say({ on: name, data }));
}
socket.on("connect_error", (err) => {
  say({ on: "connect_error", message: err.message, data: err.data ?? null, description: String(err.description ?? "") });
  process.exit(0);
});
socket.on("disconnect", (reason) => {
  say({ on: "disconnect", reason });
  process.exit(0);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
