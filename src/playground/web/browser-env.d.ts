// The page's code (this folder) runs in a browser. The project's tsconfig targets Node only, so the
// DOM types are added here. TypeScript applies a lib reference to the whole program; the Node code
// is unaffected in practice (@types/node and the DOM lib are designed to coexist).
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
