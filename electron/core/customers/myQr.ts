/**
 * The associate's binding QR codes (SPEC §2.3): message = prefix + staff code + suffix, encoded
 * into the LINE official account's oaMessage link and the WhatsApp click-to-chat link. The brand's
 * channel handles and the prefix/suffix come with the replicated brand row.
 */
import type { Knex } from 'knex';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { BrandRow } from '../../../backend-sync/protocol';
import { lineOaMessageUrl, whatsAppClickToChatUrl } from '../../../backend-sync/domain/bindingLinks';
import type { MyQrInfo, SessionStaff } from '../consoleApi/contract';

export { lineOaMessageUrl, whatsAppClickToChatUrl };

export const DEFAULT_BINDING_PREFIX = '聯絡專員';

export const bindingMessage = (prefix: string, staffCode: string, suffix: string): string =>
  `${prefix}${staffCode}${suffix}`;

export async function myQrInfo(db: Knex, staff: SessionStaff | null): Promise<MyQrInfo> {
  if (!staff) throw new AppError(ErrorCode.NOT_SIGNED_IN, 'Sign in to see your QR codes.');
  const row = (await db('brand').first('data')) as { data: string } | undefined;
  const parsed = row ? BrandRow.safeParse(JSON.parse(row.data)) : null;
  const channels = parsed?.success ? parsed.data.channels : undefined;
  const message = bindingMessage(
    channels?.bindingPrefix ?? DEFAULT_BINDING_PREFIX,
    staff.staffCode,
    channels?.bindingSuffix ?? '',
  );
  const line = channels?.line ?? null;
  const whatsapp = channels?.whatsapp ?? null;
  return {
    staffCode: staff.staffCode,
    displayName: staff.displayName,
    message,
    line: line ? { basicId: line.basicId, url: lineOaMessageUrl(line.basicId, message) } : null,
    whatsapp: whatsapp
      ? { phoneNumber: whatsapp.phoneNumber, url: whatsAppClickToChatUrl(whatsapp.phoneNumber, message) }
      : null,
  };
}
