import { Command, InvalidArgumentError, Option } from 'commander';
import { environmentVariables, VERSION } from '@shopstack/kernel';
import { finalBackup, registerBackupCommands } from './backup.js';

/**
 * A command's action, loaded only when the command runs: `shopstack status` need not load every
 * service of the shop, and the platform process stays small.
 */
function lazy<M extends Record<K, (...args: never[]) => unknown>, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): (...args: Parameters<M[K]>) => Promise<void> {
  return async (...args) => {
    await (await load())[name](...args);
  };
}

function nonNegativeInteger(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new InvalidArgumentError('expected a whole number, 0 or more.');
  return Number(raw);
}

function positiveInteger(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new InvalidArgumentError('expected a whole number, 1 or more.');
  return Number(raw);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const DIR_HELP = 'the platform directory (default: SHOPSTACK_PLATFORM_DIR, else ./platform)';

function environmentHelp(): string {
  const width = Math.max(...environmentVariables.map((v) => v.name.length));
  const lines = environmentVariables.flatMap((v) => {
    const line = `  ${v.name.padEnd(width)}  ${v.key}`;
    // The loader reads NODE_ENV itself, as a fallback for SHOPSTACK_ENV, so it has no entry of its own.
    return v.key === 'env'
      ? [line, `  ${'NODE_ENV'.padEnd(width)}  env, when SHOPSTACK_ENV is unset`]
      : [line];
  });
  return [
    '',
    'Configuration: built-in defaults, then config/<env>.json (or the file in SHOPSTACK_CONFIG),',
    'then these environment variables (each sets the configuration key beside it):',
    ...lines,
    '',
    'env is development (the default), production or test: it names the config file; production',
    'refuses weak secrets (SHOPSTACK_ADMIN_TOKEN, SHOPSTACK_SERVICE_SECRET: 32 or more characters).',
    'SHOPSTACK_ADMIN_TOKEN is a bootstrap credential: it only creates staff accounts',
    '(POST /api/users/staff); staff sign in at /api/users/login, or see "shopstack admin create".',
  ].join('\n');
}

/** The `shopstack` command line: start, migrate, seed, config and admin. */
export function createProgram(): Command {
  const program = new Command('shopstack')
    .description(
      'ShopStack: an open-source e-commerce platform. Run one store on this machine, or each service apart.',
    )
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError()
    // -v/--version before a command prints the version; after one (deploy --version <ref>) it is the command's.
    .enablePositionalOptions()
    .addHelpText('after', environmentHelp());

  program
    .command('start')
    .description(
      'run every enabled service in one process: migrates, seeds the demo catalogue into a new store, serves until Ctrl-C',
    )
    .option('--dev', 'serve the storefront and the admin from their sources with hot reload (front-end work)')
    .action(lazy(() => import('./start.js'), 'startCommand'));

  program
    .command('migrate')
    .description("apply every enabled service's pending database migrations and exit")
    .action(lazy(() => import('./migrate.js'), 'migrateCommand'));

  program
    .command('seed')
    .description(
      'fill an empty catalogue with generated demo products (the same --seed gives the same catalogue); ' +
        'a catalogue that holds data is left alone unless --reset',
    )
    .addOption(
      new Option('-p, --products <n>', 'how many products (default: config seed.products)').argParser(
        nonNegativeInteger,
      ),
    )
    .addOption(
      new Option('-s, --seed <n>', 'seed of the generator; the same seed gives the same catalogue').argParser(
        nonNegativeInteger,
      ),
    )
    .option('--reset', 'delete the existing catalogue (products, categories, stock, reservations) first')
    .action(lazy(() => import('./seed.js'), 'seedCommand'));

  program
    .command('config')
    .description('print the effective configuration as JSON, secrets redacted')
    .action(lazy(() => import('./show-config.js'), 'showConfigCommand'));

  const admin = program.command('admin').description('manage staff accounts');
  admin
    .command('create')
    .description(
      'create a staff account (an admin unless --role staff); the password comes from SHOPSTACK_ADMIN_PASSWORD ' +
        'or --password-stdin, else one is generated and printed once',
    )
    .requiredOption('--email <email>', 'e-mail address to sign in with')
    .option('--name <name>', 'display name (default: the part of the address before @)')
    .addOption(new Option('--role <role>', 'admin or staff').choices(['admin', 'staff']).default('admin'))
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(lazy(() => import('./admin.js'), 'adminCreateCommand'));

  const events = program
    .command('events')
    .description("inspect the store's events: the outbox backlog and dead letters");
  events
    .command('outbox')
    .description("show each service's events not yet published and the age of the oldest")
    .option('--json', 'print JSON')
    .action(lazy(() => import('./events.js'), 'outboxCommand'));
  const dlq = events.command('dlq').description('events a consumer failed to handle on every attempt');
  dlq
    .command('list')
    .description('list dead letters (all consumers, or --consumer)')
    .option('--consumer <name>', 'only this consumer')
    .option('--json', 'print JSON')
    .action(lazy(() => import('./events.js'), 'deadLetterListCommand'));
  dlq
    .command('replay')
    .description('deliver dead letters to their consumer once more (one event, or --all)')
    .argument('<consumer>', 'the consumer, e.g. dispatch.fulfil-paid-orders')
    .argument('[event]', 'the event id')
    .option('--all', 'every dead letter of the consumer')
    .action(lazy(() => import('./events.js'), 'deadLetterReplayCommand'));
  dlq
    .command('drop')
    .description('forget dead letters (one event, or --all)')
    .argument('<consumer>', 'the consumer')
    .argument('[event]', 'the event id')
    .option('--all', 'every dead letter of the consumer')
    .action(lazy(() => import('./events.js'), 'deadLetterDropCommand'));

  registerPlatformCommands(program);
  registerBackupCommands(program);
  return program;
}

/** The commands of a platform of many stores: stores, the platform itself, restarts and status. */
function registerPlatformCommands(program: Command): void {
  const store = program
    .command('store')
    .description('manage the stores of a platform (each isolated: own database, config, uploads)');
  store
    .command('create')
    .description(
      'create a store: its own database (embedded, or on the PostgreSQL server in DATABASE_URL), config and uploads',
    )
    .argument('<id>', 'a lower-case slug, e.g. shop-a')
    .requiredOption('--name <name>', 'the store name shoppers see')
    .option('--domain <host>', 'a host name the store answers on (repeat for several)', collect, [])
    .option('--currency <code>', 'ISO 4217 currency', 'EUR')
    .option('--services <list>', 'the services it runs, comma-separated (default: all)')
    .addOption(
      new Option('--workers <n>', 'worker processes (default: one per core)').argParser(positiveInteger),
    )
    .option('--seed', 'fill it with the demo catalogue')
    .addOption(new Option('--products <n>', 'demo products with --seed').argParser(nonNegativeInteger))
    .option('--dir <dir>', DIR_HELP)
    .action(lazy(() => import('./stores.js'), 'storeCreateCommand'));
  store
    .command('list')
    .description('list the stores')
    .option('--json', 'print JSON')
    .option('--dir <dir>', DIR_HELP)
    .action(lazy(() => import('./stores.js'), 'storeListCommand'));
  store
    .command('show')
    .description("show a store's settings")
    .argument('<id>')
    .option('--json', 'print JSON')
    .option('--dir <dir>', DIR_HELP)
    .action(lazy(() => import('./stores.js'), 'storeShowCommand'));
  store
    .command('set')
    .description("change a store's name, domains, workers or backup policy (workers: from its next restart)")
    .argument('<id>')
    .option('--name <name>', 'the store name')
    .option(
      '--domain <host>',
      'the host names it answers on, replacing the list (repeat for several)',
      collect,
      [],
    )
    .addOption(new Option('--workers <n>', 'worker processes').argParser(positiveInteger))
    .option('--backup-at <HH:MM>', 'back up daily at this time (UTC), or "off"')
    .addOption(new Option('--keep-daily <n>', 'daily backups kept').argParser(nonNegativeInteger))
    .addOption(new Option('--keep-weekly <n>', 'weekly backups kept').argParser(nonNegativeInteger))
    .addOption(new Option('--backup-to <target>', 'where backups go').choices(['local', 's3']))
    .option('--dir <dir>', DIR_HELP)
    .action(lazy(() => import('./stores.js'), 'storeSetCommand'));
  store
    .command('disable')
    .description('stop serving a store (its data stays); a running platform stops its workers')
    .argument('<id>')
    .option('--dir <dir>', DIR_HELP)
    .action(async (id: string, options: { dir?: string }) =>
      (await import('./stores.js')).storeEnableCommand(id, false, options),
    );
  store
    .command('enable')
    .description('serve a disabled store again')
    .argument('<id>')
    .option('--dir <dir>', DIR_HELP)
    .action(async (id: string, options: { dir?: string }) =>
      (await import('./stores.js')).storeEnableCommand(id, true, options),
    );
  store
    .command('remove')
    .description('delete a store and its database, after a final backup (asks for confirmation)')
    .argument('<id>')
    .option('-y, --yes', 'do not ask')
    .option('--no-backup', 'skip the final backup')
    .option('--dir <dir>', DIR_HELP)
    .action(async (id: string, options: { dir?: string; yes?: boolean; backup?: boolean }) =>
      (await import('./stores.js')).storeRemoveCommand(id, options, finalBackup(options.dir)),
    );

  program
    .command('platform')
    .description(
      'run the platform: the gateway on one port and a supervised group of workers per enabled store; SIGHUP restarts workers one at a time',
    )
    .option('--dir <dir>', DIR_HELP)
    .option('--host <host>', 'gateway address (default: HOST, else 127.0.0.1)')
    .addOption(
      new Option('--port <n>', 'gateway port (default: PORT, else 8080)').argParser(nonNegativeInteger),
    )
    .addOption(
      new Option('--workers <n>', 'workers of a store that sets no count (default: one per core)').argParser(
        positiveInteger,
      ),
    )
    .addOption(
      new Option(
        '--keep-warm <seconds>',
        'how long the slot a deploy switched away from stays up for a rollback (default 600)',
      ).argParser(nonNegativeInteger),
    )
    .addOption(
      new Option(
        '--drain-timeout <seconds>',
        'how long a worker leaving rotation may take to finish its requests (default 30)',
      ).argParser(positiveInteger),
    )
    .action(lazy(() => import('./platform-commands.js'), 'platformCommand'));
  program
    .command('restart')
    .description("replace a store's workers one at a time on the running platform (no request fails)")
    .argument('<store>')
    .option('--dir <dir>', DIR_HELP)
    .action(lazy(() => import('./platform-commands.js'), 'restartCommand'));
  program
    .command('deploy')
    .description(
      'blue-green deploy of one store: the release starts in the idle slot, migrations run (refused if they break the live release), a smoke test passes, then the gateway switches and the old slot drains',
    )
    .argument('<store>')
    .option(
      '--version <ref>',
      "a git ref of the platform's repository or a ShopStack directory (default: the platform's own tree as it is on disk)",
    )
    .option('--dir <dir>', DIR_HELP)
    .action(lazy(() => import('./platform-commands.js'), 'deployCommand'));
  program
    .command('rollback')
    .description(
      'switch a store back to the release before its last deploy (at once while that slot is kept warm)',
    )
    .argument('<store>')
    .option('--dir <dir>', DIR_HELP)
    .action(lazy(() => import('./platform-commands.js'), 'rollbackCommand'));
  program
    .command('status')
    .description(
      'every store of the running platform: live slot, release, workers, readiness, uptime; exits 1 if one is down',
    )
    .option('--json', 'print JSON')
    .option('--dir <dir>', DIR_HELP)
    .action(lazy(() => import('./platform-commands.js'), 'statusCommand'));

  // Started by the platform, not by people.
  program.command('worker', { hidden: true }).action(lazy(() => import('./worker.js'), 'workerCommand'));
  program
    .command('database-server', { hidden: true })
    .action(lazy(() => import('./worker.js'), 'databaseServerCommand'));
}
