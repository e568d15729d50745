// Loaded into the student's job (job-runner.ts runs `node --import tsx --import <this file> <job>`). The job lives
// in the workspace, which has no node_modules of its own: natively it finds the kit's only while the workspace is
// inside the checkout, and in the container (a workspace mount beside the image's /app) never. So a package the
// job imports that is not found from the job's folder is looked up again from here, where the kit's packages are
// (pg, among the demo services' dependencies). Plain JavaScript: module hooks run before any TypeScript loader.
// Reference: https://nodejs.org/api/module.html#customization-hooks
import { register } from 'node:module';

register(new URL('./job-imports-hooks.mjs', import.meta.url));
