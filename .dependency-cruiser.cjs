/**
 * The boundaries of the code, checked in `npm test` (style.md rule 13):
 * HTTP (controllers) → command handlers → deciders; the domain (deciders, events, commands) knows
 * no framework and no store; projections take only events and shared code; nothing imports the
 * demo; no cycles.
 */
const DOMAIN = '^src/(project|fund-batch|bank-account|treasury-file|fiscal-year)/';
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one; break it by moving what both need into a third.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Deciders, events and commands are plain TypeScript: no Nest, no store, no HTTP, no slices.',
      from: { path: DOMAIN },
      to: {
        path: [
          '^node_modules/@nestjs',
          '^src/(event-store|http|funding|projection-runner|audit|reports|cli|auth|config|demo)/',
        ],
      },
    },
    {
      name: 'shared-is-shared',
      severity: 'error',
      comment: 'src/shared serves everyone and depends on nothing of ours outside it.',
      from: { path: '^src/shared/' },
      to: { path: '^(src/(?!shared/)|projections/)' },
    },
    {
      name: 'projections-take-events-and-shared',
      severity: 'error',
      comment:
        'A read model is a pure fold of events: it may import events, shared code, other projections and the dated policy only (src/policy is data and pure look-ups: the red flags judge events by it).',
      from: { path: '^projections/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/shared/',
          '^src/events/',
          '^src/(project|fund-batch)/[^/]+[.]events[.]ts$',
          '^src/project/funding-sources[.]ts$',
          '^src/policy/',
        ],
      },
    },
    {
      name: 'http-goes-through-handlers',
      severity: 'error',
      comment: 'A controller sends commands to handlers; it never calls a decider or a writer itself.',
      from: { path: '[.]controller[.]ts$' },
      to: { path: ['[.]decider[.]ts$', '^src/event-store/write-path[.]ts$'] },
    },
    {
      name: 'nothing-imports-the-demo',
      severity: 'error',
      comment: 'The demo district is a client of the service, loaded through HTTP; the service never depends on it.',
      from: { path: '^(src|projections)/', pathNot: '^src/demo/' },
      to: { path: '^src/demo/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|node_modules)/' },
  },
};
