// MAIN world: a fetch wrapper that hands the page a stream pulling from the network, and posts a copy of each
// chunk it read to the relay, once per task.
(() => {
  const nativeFetch = window.fetch;
  const channel = new MessageChannel();
  // Whichever of the two scripts runs first, the relay gets the port once.
  const offer = () => window.dispatchEvent(new MessageEvent('body-relay-peer-handshake', { ports: [channel.port2] }));
  window.addEventListener('body-relay-peer-ask', offer, { once: true });
  offer();
  let outbox = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    channel.port1.postMessage(outbox, outbox.map((bytes) => bytes.buffer));
    outbox = [];
  };
  const post = (bytes) => {
    outbox.push(bytes);
    if (!scheduled) {
      scheduled = true;
      setTimeout(flush, 0);
    }
  };
  window.fetch = async function (input, init) {
    const response = await nativeFetch.call(this, input, init);
    if (!String(response.url).includes('/v1/responses') || !response.body) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream({
      type: 'bytes',
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        // A copy: enqueue hands the buffer to the page's stream.
        post(value.slice());
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
})();
