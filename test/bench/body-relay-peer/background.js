// Receives the bodies and counts what arrived (for a check that it did), nothing more.
globalThis.received = 0;
(globalThis.browser ?? chrome).runtime.onConnect.addListener((port) => {
  port.onMessage.addListener((body) => {
    globalThis.received += typeof body === 'string' ? body.length : body.reduce((sum, bytes) => sum + bytes.byteLength, 0);
  });
});
