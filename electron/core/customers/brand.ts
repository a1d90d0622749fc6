/** The replicated brand row's customer settings: phone region, channels, templates, links. */
import type { Knex } from 'knex';
import { DEFAULT_PHONE_REGION } from '../../../backend-sync/domain/phone';
import { BrandRow } from '../../../backend-sync/protocol';

export interface BrandCustomerSettings {
  phoneRegion: string;
  timeZone: string;
  channels: BrandRow['channels'] | undefined;
  conversationUrls: BrandRow['conversationUrls'] | undefined;
}

export async function brandCustomerSettings(db: Knex): Promise<BrandCustomerSettings> {
  const row = (await db('brand').first('data')) as { data: string } | undefined;
  const parsed = row ? BrandRow.safeParse(JSON.parse(row.data)) : null;
  const brand = parsed?.success ? parsed.data : null;
  return {
    phoneRegion: brand?.phoneRegion ?? DEFAULT_PHONE_REGION,
    timeZone: brand?.timeZone ?? 'Asia/Taipei',
    channels: brand?.channels,
    conversationUrls: brand?.conversationUrls,
  };
}

/** The https origins of the brand's conversation links (what the Electron window may open). */
export function conversationOrigins(brand: BrandCustomerSettings): string[] {
  const origins = new Set<string>();
  for (const template of Object.values(brand.conversationUrls ?? {})) {
    if (!template) continue;
    try {
      const url = new URL(template.replaceAll('{userId}', 'x').replaceAll('{phone}', '0'));
      if (url.protocol === 'https:') origins.add(url.origin);
    } catch {
      // A template that is not a URL opens nothing.
    }
  }
  return [...origins];
}
