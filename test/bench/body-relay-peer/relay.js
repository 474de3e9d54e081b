// ISOLATED world: forwards each batch over a runtime port: as bytes where ports clone binary data (Firefox), as
// text where they carry JSON (Chrome).
const runtime = (globalThis.browser ?? chrome).runtime;
const port = runtime.connect({ name: 'bodies' });
const portsCarryBytes = runtime.getURL('').startsWith('moz-extension:');
const decoder = new TextDecoder();
let taken = false;
window.addEventListener('body-relay-peer-handshake', (event) => {
  if (taken || !event.ports[0]) return;
  taken = true;
  event.ports[0].onmessage = (message) => {
    const chunks = message.data;
    if (portsCarryBytes) port.postMessage(chunks);
    else port.postMessage(chunks.map((bytes) => decoder.decode(bytes, { stream: true })).join(''));
  };
});
if (!taken) window.dispatchEvent(new Event('body-relay-peer-ask'));
