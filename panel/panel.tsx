import { render } from 'preact';

function Panel() {
  return (
    <main class="empty-state" data-testid="empty-state">
      <h1>Responses DevTools</h1>
      <p>Make a request to a Responses API endpoint from this page to see it stream here.</p>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<Panel />, root);
