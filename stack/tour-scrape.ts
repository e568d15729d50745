/**
 * The scrape file of the stack tour (lifecycle/tour.ts, a plain `npm run stack:up` before any lab): Prometheus
 * scrapes the demo services so that the dashboards show live data. Kept with the stack's configs, as data; the
 * tour writes it through the runtime (StackRuntime.writeConfig) and lab:start removes it.
 */

/** The tour's scrape file, in Prometheus's config directory (read through scrape_config_files: scrape.d/*.yml). */
export const tourScrapeFile = 'scrape.d/tour.yml';

/**
 * The tour's scrape jobs, a template rendered for the runtime (stack/render.ts). One job, "tour", whose targets
 * carry the labels the labs' own jobs give them (a target's `job` label wins over the job's name), so that
 * nothing a lab reads can tell the tour's samples from an earlier lab's.
 */
export const tourScrapeJobs = `# The stack tour (npm run stack:up before any lab): Prometheus scrapes the demo services so that the
# dashboards show live data. Written by the kit (lifecycle/tour.ts); the first npm run lab:start removes it,
# since scraping them is your work from lab 3 on (workspace/prometheus/scrape/).
# Reference: https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config
scrape_configs:
  - job_name: tour
    scrape_interval: 5s
    static_configs:
      # A target's own "job" label wins over the job's name: these series are labelled as a lab's shop and
      # inventory jobs would label them.
      - targets: ['{{ addr.shop.http }}']
        labels: { job: shop }
      - targets: ['{{ addr.inventory.http }}']
        labels: { job: inventory }
`;

