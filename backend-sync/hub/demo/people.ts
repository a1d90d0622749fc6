/**
 * Made-up customers for the demo: Taiwanese names on LINE with TW mobiles, Hong Kong names on
 * WhatsApp with HK mobiles (and a few of each the other way round), all deterministic.
 */
import { isValidPhoneNumber } from 'libphonenumber-js';
import type { CreateCustomerInput } from '../services/schemas';
import type { Prng } from './prng';

const TW_SURNAMES = [
  '陳',
  '林',
  '黃',
  '張',
  '李',
  '王',
  '吳',
  '劉',
  '蔡',
  '楊',
  '許',
  '鄭',
  '謝',
  '郭',
  '洪',
  '曾',
  '邱',
  '廖',
];
const TW_GIVEN = [
  '怡君',
  '雅婷',
  '家豪',
  '志明',
  '淑芬',
  '俊傑',
  '美玲',
  '宗翰',
  '詩涵',
  '冠宇',
  '佳蓉',
  '柏翰',
  '欣怡',
  '承恩',
  '品妤',
  '彥廷',
];
const HK_SURNAMES = [
  'Chan',
  'Wong',
  'Lee',
  'Cheung',
  'Lau',
  'Ho',
  'Ng',
  'Leung',
  'Lam',
  'Tang',
  'Yip',
  'Tsang',
  'Kwok',
  'Chow',
];
const HK_GIVEN = [
  'Tai Man',
  'Ka Yan',
  'Wing Sze',
  'Chi Keung',
  'Mei Ling',
  'Siu Ming',
  'Hoi Yan',
  'Ka Ho',
  'Wai Lun',
  'Pui Shan',
];
const EN_GIVEN = [
  'Emily',
  'Jason',
  'Karen',
  'Kelvin',
  'Gigi',
  'Ivan',
  'Winnie',
  'Derek',
  'Natalie',
  'Alan',
  'Cherry',
  'Marco',
];

function twMobile(prng: Prng): string {
  return `+8869${String(prng.int(100_000_000)).padStart(8, '0')}`;
}

function hkMobile(prng: Prng): string {
  return `+852${prng.pick(['5', '6', '9'])}${String(prng.int(10_000_000)).padStart(7, '0')}`;
}

function uniquePhone(prng: Prng, make: (p: Prng) => string, used: Set<string>): string {
  for (;;) {
    const phone = make(prng);
    if (!used.has(phone) && isValidPhoneNumber(phone)) {
      used.add(phone);
      return phone;
    }
  }
}

const hex = (prng: Prng, length: number): string =>
  Array.from({ length }, () => '0123456789abcdef'[prng.int(16)]).join('');

/**
 * `count` customers, alternating LINE and WhatsApp, bound to `associateIds` in turn. Each round
 * starts one associate further on: with an even number of associates a plain turn would give
 * each of them one channel only (the demo's TPE staff only LINE customers, TXG's only WhatsApp).
 */
export function demoCustomers(
  prng: Prng,
  count: number,
  associateIds: readonly string[],
): CreateCustomerInput[] {
  const phones = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const line = i % 2 === 0;
    // Mostly Taiwan on LINE and Hong Kong on WhatsApp, with one in five the other way round.
    const taiwanese = line ? i % 10 !== 4 : i % 10 === 5;
    const displayName = taiwanese
      ? `${prng.pick(TW_SURNAMES)}${prng.pick(TW_GIVEN)}`
      : prng.next() < 0.5
        ? `${prng.pick(HK_SURNAMES)} ${prng.pick(HK_GIVEN)}`
        : `${prng.pick(EN_GIVEN)} ${prng.pick(HK_SURNAMES)}`;
    const phone = uniquePhone(prng, taiwanese ? twMobile : hkMobile, phones);
    return {
      channel: line ? 'line' : 'whatsapp',
      // LINE user ids are U + 32 hex; a WhatsApp id is the number without the plus.
      channelUserId: line ? `U${hex(prng, 32)}` : phone.slice(1),
      displayName,
      // LINE does not share phone numbers; some customers gave theirs anyway.
      phone: line && i % 4 === 0 ? null : phone,
      avatarUrl: null,
      boundStaffId: associateIds[(i + Math.floor(i / associateIds.length)) % associateIds.length]!,
    };
  });
}
