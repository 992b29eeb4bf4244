// Bundles the example page into dist/: src/main.js with Carbon AI Chat and its dependencies (one ES module), and
// index.html. The deskbridge adapter is not bundled: the page imports it at run time from the deskbridge web chat,
// which serves it at /deskbridge-service-desk.js.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await mkdir('dist', { recursive: true });
await build({
  entryPoints: ['src/main.js'],
  bundle: true,
  format: 'esm',
  splitting: true,
  outdir: 'dist',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});
await copyFile('src/index.html', 'dist/index.html');
console.log('Built dist/: serve it with npm start');
