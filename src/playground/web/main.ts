import './styles.css';
import { startPage } from './app.js';
import { required } from './dom.js';

startPage(required(document, '#app', HTMLElement)).catch((error: unknown) => {
  const app = document.getElementById('app');
  if (app) app.textContent = `The playground could not start: ${error instanceof Error ? error.message : String(error)}`;
});
