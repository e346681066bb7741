/** Every migration, oldest first: one file each. Append a file; never edit one that has shipped. */
import type { Migration } from '../schema.ts';
import { migration as m0001 } from './0001-domain-model.ts';
import { migration as m0002 } from './0002-health-codes.ts';
import { migration as m0003 } from './0003-event-flow.ts';
import { migration as m0004 } from './0004-persons-by-household.ts';
import { migration as m0005 } from './0005-risk-reasons.ts';
import { migration as m0006 } from './0006-accounts.ts';
import { migration as m0007 } from './0007-audit-chain.ts';
import { migration as m0008 } from './0008-residents.ts';
import { migration as m0009 } from './0009-used-tokens.ts';
import { migration as m0010 } from './0010-presence-retention.ts';
import { migration as m0011 } from './0011-command.ts';
import { migration as m0012 } from './0012-bulletins.ts';
import { migration as m0013 } from './0013-dashboard.ts';
import { migration as m0014 } from './0014-supervision.ts';
import { migration as m0015 } from './0015-contact-homes.ts';
import { migration as m0016 } from './0016-quarantine.ts';
import { migration as m0017 } from './0017-follow-up.ts';
import { migration as m0018 } from './0018-hospitals.ts';
import { migration as m0019 } from './0019-stranded-visitors.ts';
import { migration as m0020 } from './0020-arrivals-in-quarantine.ts';
import { migration as m0021 } from './0021-follow-up-last-covering.ts';
import { migration as m0022 } from './0022-search.ts';
import { migration as m0023 } from './0023-trajectory.ts';
import { migration as m0024 } from './0024-trajectory-notices.ts';
import { migration as m0025 } from './0025-interviews.ts';

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014, m0015, m0016, m0017, m0018, m0019, m0020, m0021, m0022, m0023, m0024, m0025];
