/**
 * Lab 22's realistic wrong work: the reference processing file with one slip each.
 */
import { slip, type LabContext, type Mistake } from '../api.ts';
import { configure, reference } from './solution.ts';

/** The reference with `slips`, made now: a slip that no longer applies fails as the lab loads, not mid-test. */
const withConfig = (...slips: [string, string][]) => {
  const config = slips.reduce((text, [from, to]) => slip(text, from, to), reference);
  return (ctx: LabContext) => configure(ctx, config);
};

const logsPipeline = '      processors: [memory_limiter, attributes/redact, batch]';
const tailSampling = `  tail_sampling:
    decision_wait: 10s
    policies:
      - name: every-error
        type: status_code
        status_code:
          status_codes: [ERROR]
      - name: a-quarter-of-the-rest
        type: probabilistic
        probabilistic:
          sampling_percentage: 25
`;

export const mistakes: Mistake[] = [
  {
    id: 'spans-only',
    title: 'redacts and hashes in the traces pipeline only: the log lines still carry the e-mail, the card number and the raw user id',
    fails: ['absent-from-logs', 'user-id-hashed'],
    apply: withConfig([logsPipeline, '      processors: [memory_limiter, batch]']),
  },
  {
    id: 'probabilistic-sampler',
    title: 'samples with the probabilistic_sampler processor at 25 %: it decides span by span on the trace id, blind to errors, so three error traces in four are dropped',
    fails: ['error-traces-kept'],
    apply: withConfig([tailSampling, '  probabilistic_sampler:\n    sampling_percentage: 25\n'], ['attributes/redact, tail_sampling, batch', 'attributes/redact, probabilistic_sampler, batch']),
  },
  {
    id: 'half-of-the-rest',
    title: 'keeps every error trace but half of the rest (sampling_percentage: 50) where a quarter was asked',
    fails: ['rest-kept'],
    apply: withConfig(['sampling_percentage: 25', 'sampling_percentage: 50']),
  },
  {
    id: 'user-id-replaced',
    title: 'overwrites user.id with a fixed value (action: update, value: redacted) instead of hashing it: every shopper becomes the same user',
    fails: ['user-id-hashed'],
    apply: withConfig(['        action: hash\n', '        action: update\n        value: redacted\n']),
  },
  {
    id: 'card-by-pattern',
    title: 'deletes attributes by the pattern ^payment\\..* and forgets user.email, which then stays on spans and lines',
    fails: ['absent-from-spans', 'absent-from-logs'],
    apply: withConfig(['      - key: user.email\n        action: delete\n      - key: payment.card_number\n        action: delete\n', '      - pattern: ^payment\\..*\n        action: delete\n']),
  },
];
