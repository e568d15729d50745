// The resolve hook job-imports.mjs registers: a bare package name (pg, not ./file or node:fs) that the job's own
// folder cannot provide is resolved as if this folder of the kit had imported it.
const kitFolder = new URL('./', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const bare = !/^(\.|\/|[a-zA-Z][a-zA-Z+.-]*:)/.test(specifier);
    if (!bare || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(specifier, { ...context, parentURL: kitFolder });
  }
}
