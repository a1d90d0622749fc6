// For plain `tsc`; vue-tsc type-checks the .vue files themselves.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

// Vite bundles imported stylesheets; TypeScript 6 checks side-effect imports, so it must know them.
declare module '*.css';
