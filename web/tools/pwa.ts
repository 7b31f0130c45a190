// The installable-app parts, emitted with the build: icons, the web app manifest, and a
// service worker (src/sw.ts, compiled separately) whose precache list is the exact set of
// files this build produced, so a new build replaces the old shell as a whole.
import { createHash } from 'node:crypto';
import { build, type Plugin } from 'vite';
import { resolve } from 'node:path';
import { drawIcon } from './icons';

export const MANIFEST = {
  name: 'TTA — a therapeutic text adventure',
  short_name: 'TTA',
  description: 'A text adventure that weaves in grounding, breathing and other skills, with help one tap away.',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  background_color: '#10192b',
  theme_color: '#1d3557',
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
};

async function compileServiceWorker(webRoot: string): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: true,
      lib: { entry: resolve(webRoot, 'src/sw.ts'), formats: ['es'], fileName: () => 'sw.js' },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) {
    if ('output' in o) {
      for (const item of o.output) if (item.type === 'chunk') return item.code;
    }
  }
  throw new Error('the service worker did not compile');
}

export function pwaPlugin(webRoot: string): Plugin {
  return {
    name: 'tta-pwa',
    apply: 'build',
    async generateBundle(_options, bundle) {
      this.emitFile({ type: 'asset', fileName: 'icons/icon-192.png', source: drawIcon(192) });
      this.emitFile({ type: 'asset', fileName: 'icons/icon-512.png', source: drawIcon(512) });
      this.emitFile({ type: 'asset', fileName: 'icons/maskable-512.png', source: drawIcon(512, true) });
      this.emitFile({ type: 'asset', fileName: 'manifest.webmanifest', source: JSON.stringify(MANIFEST, null, 2) });
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith('.map') && f !== 'index.html')
        .map((f) => '/' + f)
        .sort();
      const shell = ['/', ...files];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const code = await compileServiceWorker(webRoot);
      const preamble = `self.__TTA_SHELL__=${JSON.stringify(shell)};self.__TTA_VERSION__=${JSON.stringify(version)};\n`;
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: preamble + code });
    },
  };
}
