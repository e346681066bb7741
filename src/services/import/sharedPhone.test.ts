/** Look-ups by a key that several persons share: the field case shared-phone (a family phone). */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { importHarness } from '../../../test/imports.ts';

/** shared-phone/persons_shared_phone.csv: two residents of one household share a phone. */
const PERSONS_SHARED_PHONE = [
  'id_number,name,community_code,phone,household_code',
  '43010219950303021X,欧阳小雨,430102001001,13907350099,BH-HH2',
  '43010219410303012X,欧阳老爹,430102001001,13907350099,BH-HH2',
].join('\n') + '\n';
/** shared-phone/presence_by_phone.csv: a telecom stay matched by that phone only. */
const PRESENCE_BY_PHONE = 'phone,place_code,start,end,source\n13907350099,BH-K1,2021-10-22 20:00,2021-10-22 22:00,telecom_stay\n';
const PLACES_BH = 'code,name,category,region_code,lng,lat\nBH-K1,星光KTV,ktv,430102001001,112.985,28.195\n';

describeEachEngine('feed look-ups by a shared key', (engine) => {
  const h = importHarness(engine);

  it('shared-phone: a presence row matched by a phone two residents share is refused as ambiguous, never given to one', async () => {
    await h.run('places', h.write('places_bh.csv', PLACES_BH));
    expect(await h.run('persons', h.write('persons_shared_phone.csv', PERSONS_SHARED_PHONE))).toMatchObject({ inserted: 2 });
    const e = await h.reject('presence', h.write('presence_by_phone.csv', PRESENCE_BY_PHONE));
    expect(e.problems).toEqual([{
      file: 'presence_by_phone.csv', line: 2, field: 'phone',
      reason: 'ambiguous: 2 registered persons hold this phone number (a shared phone); give id_number to say whose record this is',
    }]);
    expect((await h.store.stats.totals()).presence).toBe(0);
    const named = h.write('presence_by_id.csv', PRESENCE_BY_PHONE.replace('phone,', 'id_number,phone,').replace('\n13907350099', '\n43010219410303012X,13907350099'));
    expect(await h.run('presence', named)).toMatchObject({ inserted: 1 });
    const [stay] = (await h.store.presence.list({}, { limit: 10 })).items;
    expect(stay.personId).toBe((await h.store.persons.list({}, { limit: 2 })).items[1].id);
  });

  it('shared-phone: a phone one resident holds still finds that resident, in the same file as an ambiguous one', async () => {
    await h.run('places', h.write('places_bh.csv', PLACES_BH));
    await h.run('persons', h.write('persons.csv', `${PERSONS_SHARED_PHONE}430102198604120316,周建国,430102001001,13907390000,\n`));
    const both = h.write('both.csv', `${PRESENCE_BY_PHONE}13907390000,BH-K1,2021-10-22 20:00,2021-10-22 22:00,telecom_stay\n`);
    expect((await h.reject('presence', both)).problems.map((p) => p.line)).toEqual([2]);
    expect(await h.run('presence', h.write('one.csv', `phone,place_code,start,end,source\n13907390000,BH-K1,2021-10-22 20:00,2021-10-22 22:00,telecom_stay\n`))).toMatchObject({ inserted: 1 });
  });
});
