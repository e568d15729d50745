/**
 * The course-data plugin: serves the facts of course/site-data.ts (labs, modules, services, ports, commands) to
 * every page as global data, read with usePluginData('course-data') — which the components in src/components/
 * do, so no page copies a lab fact by hand. In development it re-reads them when a lab definition,
 * stack/versions.yaml or the command table changes.
 */
import type { LoadContext, Plugin } from '@docusaurus/types';
import type { Compiler } from 'webpack';
import { loadSiteData, repoRoot } from './load.ts';
import type { SiteData } from '../../../course/types.ts';

export interface CourseDataOptions {
  /** Facts already read by docusaurus.config.ts, used for the first load instead of running the exporter again. */
  initial?: SiteData;
  /** The module folders this build includes ("02-metrics"): components link only to pages that exist. */
  modules: string[];
}

/** What pages receive. */
export interface CourseGlobalData extends SiteData {
  includedModules: string[];
}

export default function courseDataPlugin(context: LoadContext, rawOptions: unknown): Plugin {
  // Docusaurus hands plugin options over untyped.
  const options = rawOptions as CourseDataOptions;
  if (!Array.isArray(options?.modules)) throw new Error('course-data plugin: options.modules must list the module folders of this build');
  let initial = options.initial;
  return {
    name: 'course-data',
    async loadContent(): Promise<SiteData> {
      const data = initial ?? loadSiteData();
      initial = undefined; // later loads (development reloads) read the definitions afresh
      return data;
    },
    async contentLoaded({ content, actions }) {
      // Docusaurus passes loadContent's result back untyped.
      const data: CourseGlobalData = { ...(content as SiteData), includedModules: options.modules };
      actions.setGlobalData(data);
    },
    configureWebpack(_config, isServer) {
      // The repository's package.json says "type": "module", which Docusaurus does not expect of a site:
      // 1. the bundler would parse the files Docusaurus generates into .docusaurus/ as strict ES modules and leave
      //    their require.resolveWeak() calls (the route registry) untranslated, so they are parsed as mixed modules;
      // 2. Node would load the server bundle's CommonJS chunks, written under the build folder, as ES modules, so
      //    a package.json beside them says they are CommonJS.
      return {
        module: { rules: [{ test: /\.js$/, include: [context.generatedFilesDir], type: 'javascript/auto' }] },
        plugins: isServer ? [new CommonJsMarker()] : [],
      };
    },
    getPathsToWatch() {
      // labs/**/*.ts covers the curriculum (labs/curriculum.ts) as well as the lab definitions.
      return ['labs/**/*.ts', 'stack/versions.yaml', 'stack/services.ts', 'scripts/commands/index.ts'].map((p) => `${repoRoot}/${p}`);
    },
  };
}

/** Emits {"type": "commonjs"} as package.json into the server bundle's folder (webpack and Rspack alike). */
class CommonJsMarker {
  apply(compiler: Compiler): void {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('course-data', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'course-data', stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        compilation.emitAsset('package.json', new sources.RawSource('{ "type": "commonjs" }\n'));
      });
    });
  }
}
