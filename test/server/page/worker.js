// A Web Worker that calls the API itself: page hooks cannot see this request.
self.onmessage = async (event) => {
  const { route } = event.data;
  try {
    const response = await fetch(`/r/${route}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-secret-key-1234567890' },
      body: JSON.stringify({ model: 'gpt-4.1-nano', input: 'Say hello', stream: true }),
    });
    self.postMessage({ text: await response.text() });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
