import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Component styles go to the CSS file, never to inline <style> tags,
    // so the CSP can keep `style-src 'self'`.
    css: 'external',
  },
};
