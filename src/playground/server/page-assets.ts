import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface PageAssets {
  html: string;
  js: string;
  css: string;
}

/** The page's entry: TypeScript under src/ (npm start runs from source), JavaScript in a build. */
function entryPoint(): string {
  for (const name of ['../web/main.ts', '../web/main.js']) {
    const path = fileURLToPath(new URL(name, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('The playground page sources (src/playground/web/main.ts) are missing.');
}

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Warden playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<div id="app" class="app" aria-busy="true"><p class="app__loading">Loading the Warden playground…</p></div>
</body>
</html>
`;

let bundled: Promise<PageAssets> | undefined;

/**
 * Bundles the page with esbuild, in memory, once per process: no build step before `npm start`,
 * nothing fetched from the network, and the browser gets one script and one stylesheet.
 */
export function bundlePage(): Promise<PageAssets> {
  bundled ??= bundle().catch((error: unknown) => {
    // A failed build (a syntax error while editing the page) is retried by the next start.
    bundled = undefined;
    throw error;
  });
  return bundled;
}

async function bundle(): Promise<PageAssets> {
  const result = await build({
    entryPoints: [entryPoint()],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['chrome115', 'firefox115', 'safari16'],
    outdir: 'assets',
    entryNames: 'app',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { html: HTML, js: file('.js'), css: file('.css') };
}
