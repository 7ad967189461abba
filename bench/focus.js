'use strict';
// node bench/focus.js <name> [args...]: runs bench/focus-<name>.ts (focused A/B scripts, not part of npm run bench).
require('../tools/register-ts');
require(`./focus-${process.argv[2]}.ts`)
  .main(process.argv.slice(3))
  .then(
    (c) => process.exit(c),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
