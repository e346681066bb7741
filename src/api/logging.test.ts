// The server's log keeps secrets and identities out: credentials in request headers, and fields named as secrets or
// identities at the top level or one level down.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { serverLogger } from './main.ts';

describe('server log', () => {
  it('redacts credentials and identities and keeps the rest', () => {
    const lines: string[] = [];
    const out = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const log = serverLogger('info', out);
    log.info({ req: { method: 'POST', url: '/api/session', headers: { authorization: 'Bearer ck_secret', cookie: 'cordon_session=cs_secret', 'user-agent': 'ua' } } }, 'request');
    log.info({ body: { username: 'li', password: 'hunter2 hunter2', idNumber: '430102198604120316', phone: '13907390000' }, token: 'ey.secret' }, 'signed in');
    const [first, second] = lines.map((l) => JSON.parse(l) as { req: { headers: object }; body: object; token: string });
    expect(first.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', 'user-agent': 'ua' });
    expect(second.body).toEqual({ username: 'li', password: '[redacted]', idNumber: '[redacted]', phone: '[redacted]' });
    expect(second.token).toBe('[redacted]');
    expect(lines.join('')).not.toMatch(/secret|hunter2|430102198604120316|13907390000/);
  });
});
