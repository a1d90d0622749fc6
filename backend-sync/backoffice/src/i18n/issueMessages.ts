/**
 * The hub's own validation rules say what is wrong in an English sentence (catalog/schemas.ts,
 * binding/settings.ts, accounts/users.ts, domain/templateButtons.ts…). This table puts each into
 * Traditional Chinese; on English screens the sentence is shown as the hub wrote it. A sentence
 * not listed here is left to the zod code (formErrors.ts).
 */
const ROLE_ZH: Record<string, string> = {
  admin: '管理員',
  supervisor: '主管',
  cs_manager: '客服經理',
  cs_agent: '客服人員',
  sales_manager: '銷售經理',
  sales_associate: '銷售人員',
};
const KIND_ZH: Record<string, string> = {
  'quick-reply buttons': '快速回覆按鈕',
  'website buttons': '前往網站按鈕',
  'phone-call buttons': '撥打電話按鈕',
  'go-to-order buttons': '前往訂單按鈕',
};

const RULES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^must be (\d+) to (\d+) letters or digits$/, (m) => `須為 ${m[1]} 到 ${m[2]} 個英文字母或數字`],
  [/^must be (\d+) to (\d+) digits$/, (m) => `須為 ${m[1]} 到 ${m[2]} 位數字`],
  [/^must be an IANA time zone/, () => '須為 IANA 時區，例如 Asia/Taipei'],
  [/^not a region libphonenumber knows/, () => '不是已知的地區代碼（例如 HK、TW）'],
  [/^must be an https URL$/, () => '須為 https 網址'],
  [/^must contain \{userId\} or \{phone\}$/, () => '須含 {userId} 或 {phone}'],
  [/^must be English with a region/, () => '須為英文加地區，例如 en-HK、en-GB、en-US'],
  [/^must be a valid phone number/, () => '須為含國碼的有效電話號碼（+85291234567）'],
  [/^must be an email address$/, () => '須為電子郵件地址'],
  [/^must be at least (\d+) characters$/, (m) => `至少 ${m[1]} 個字元`],
  [/^must be at most (\d+) characters$/, (m) => `最多 ${m[1]} 個字元`],
  [/^must not contain control characters$/, () => '不可含控制字元'],
  [/^give at least one/, () => '請至少修改一個欄位'],
  [/^give a name, closed, or both$/, () => '請輸入名稱或選擇停業／重新營業'],
  [/^a (\w+) belongs to a branch$/, (m) => `${ROLE_ZH[m[1]!] ?? m[1]}須屬於一間分店`],
  [/^a (\w+) is brand-wide and has no branch$/, (m) => `${ROLE_ZH[m[1]!] ?? m[1]}屬於整個品牌，不選分店`],
  [/^a sales_manager reads one branch: pick it$/, () => '銷售經理只看一間分店：請選擇分店'],
  [/^listed twice$/, () => '重複列出'],
  [/^not a branch of this brand$/, () => '不是本品牌的分店'],
  [/^start and end must differ$/, () => '開始與結束時間不可相同'],
  [/^lower-case letters, digits and _$/, () => '只可用小寫英文字母、數字與 _'],
  [/^printable ASCII/, () => '只可用英數字與符號，不含空白'],
  [
    /^at most (\d+) buttons in one template \((\d+) given\)$/,
    (m) => `一個範本最多 ${m[1]} 個按鈕（目前 ${m[2]} 個）`,
  ],
  [
    /^at most (\d+) (.+ buttons) \((\d+) given\)$/,
    (m) => `${KIND_ZH[m[2]!] ?? m[2]}最多 ${m[1]} 個（目前 ${m[3]} 個）`,
  ],
  [/^not a field of a (\w+) channel$/, (m) => `${m[1] === 'line' ? 'LINE' : 'WhatsApp'} 頻道沒有這個欄位`],
];

/** The rule's sentence in the locale, or null when it is not one of the hub's known rules. */
export function translatedRule(message: string, locale: string): string | null {
  for (const [pattern, zh] of RULES) {
    const match = message.match(pattern);
    if (match) return locale === 'en' ? message.charAt(0).toUpperCase() + message.slice(1) : zh(match);
  }
  return null;
}
