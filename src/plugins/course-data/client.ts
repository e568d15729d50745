/**
 * The course data on the browser side: what the course-data plugin set as global data, for components.
 */
import { usePluginData } from '@docusaurus/useGlobalData';
import type { CourseGlobalData } from './index';
import type { LabFacts } from '../../../course/types';
import { addressesOf } from './addresses';

export function useCourseData(): CourseGlobalData {
  return usePluginData('course-data') as CourseGlobalData;
}

/** A lab's facts by number; a page naming a lab that has no definition is a mistake worth failing the build for. */
export function useLab(number: number): LabFacts {
  const lab = useCourseData().labs.find((l) => l.number === number);
  if (!lab) throw new Error(`no lab ${number} in labs/: the page names a lab that has no definition`);
  return lab;
}

/** Is the module folder ("02-metrics") part of this build? Links to modules that are not built would break it. */
export function useModuleBuilt(): (module: string) => boolean {
  const { includedModules } = useCourseData();
  return (module) => includedModules.includes(module);
}

/** Every address a page may name: the stack's services, the course site and the lab agent. */
export function useAddresses(): Record<string, string> {
  return addressesOf(useCourseData());
}
