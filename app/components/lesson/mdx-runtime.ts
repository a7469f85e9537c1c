import { getMDXComponent } from "mdx-bundler/client/index.js";

/**
 * Evaluating compiled MDX (new Function) costs more than rendering it; the server
 * renders the same few lessons over and over, so components are kept by their code.
 * The code strings come from the server's compile cache, so equal texts are usually
 * the same string instance and the lookup is cheap.
 */
const components = new Map<string, ReturnType<typeof getMDXComponent>>();

export function mdxComponent(code: string) {
  let c = components.get(code);
  if (!c) {
    c = getMDXComponent(code);
    if (components.size >= 100) components.delete(components.keys().next().value!);
    components.set(code, c);
  }
  return c;
}
