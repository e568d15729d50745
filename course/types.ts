/**
 * What the course site knows about the kit: the shape course/site-data.ts exports (as JSON) and the
 * course-data plugin serves to every page as global data. Only facts a student may see: lab titles, objectives
 * with their points, services, ports and commands — never a check's query, a hint or an answer.
 */

export interface SiteData {
  /** The repository files these facts come from, for the "generated from" notes on the pages. */
  sources: { labs: string; versions: string; services: string; commands: string };
  modules: CourseModule[];
  labs: LabFacts[];
  services: ServiceFacts[];
  ports: PortFacts[];
  commands: CommandFacts[];
  exitCodes: { code: number; name: string; meaning: string }[];
  /** The lab agent the "Check my work" button talks to. */
  agent: { url: string; port: number };
  /** Where `npm run site:start` serves the site. */
  site: { url: string; port: number };
}

/** One module of the curriculum, with its two labs (built or planned). */
export interface CourseModule {
  /** The docs folder: "02-metrics". */
  id: string;
  number: number;
  /** The URL part: "metrics" (Docusaurus strips the number prefix). */
  slug: string;
  title: string;
  /** One sentence: what the module teaches. */
  teaches: string;
  labs: ModuleLab[];
}

export interface ModuleLab {
  number: number;
  slug: string;
  title: string;
  summary: string;
  /** `available` when labs/NN-slug/ exists; its title and summary then come from the lab definition. */
  status: 'available' | 'coming-soon';
}

export interface LabFacts {
  number: number;
  slug: string;
  /** "04-red-recording-rules": the lab folder and the workspace key. */
  id: string;
  module: string;
  moduleTitle: string;
  title: string;
  summary: string;
  /** The lab's page on the site, /docs/<module slug>/<lab slug>; absent while docs/<module>/<id>.mdx is not written. */
  path?: string;
  services: { name: string; title: string; role: string; url: string }[];
  objectives: { id: string; title: string; points: number }[];
  maxScore: number;
  /** Files the student edits, relative to the workspace, and the answer file when the lab asks questions. */
  files: { workspace: string[]; answers?: string };
  /** Background load, in shoppers per second, when the lab runs one. */
  load?: { script: string; rate: number };
  commands: { start: string; check: string; checkJson: string; reset: string; stop: string };
}

export interface ServiceFacts {
  name: string;
  title: string;
  role: string;
  engine: string;
  version: string;
  /** Where the engine comes from (stack/versions.yaml): release, system, compose or node. */
  source: string;
  url: string;
  /** False for services that need a container runtime (cAdvisor). */
  native: boolean;
  needs: string[];
  /** How it runs each way and where its log is, in words, generated from stack/services.ts and versions.yaml. */
  runtimes: { native: string; compose: string; nativeLog: string; composeLog: string };
}

export interface PortFacts {
  port: number;
  engine: string;
  /** The port's name in stack/versions.yaml: http, grpc, otlp_grpc, … */
  name: string;
  /** The services that bind it (two services may share an engine, as the gateway and the log shipper do). */
  services: string[];
  /** An engine of both runtimes, one that needs Docker, or one of this repository's Node.js programs. */
  runs: 'native and compose' | 'compose only' | 'node';
}

export interface CommandFacts {
  name: string;
  usage: string;
  summary: string;
}
