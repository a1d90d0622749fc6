/**
 * A staff member's binding links: the binding message (domain/binding.ts) in the LINE
 * official account's oaMessage link and WhatsApp's click-to-chat link. Shared by the console's My
 * QR and the back office's staff card, so both print the same QR.
 */
/** https://line.me/R/oaMessage/{basic id}/?{message}: the text is percent-encoded UTF-8. */
export const lineOaMessageUrl = (basicId: string, message: string): string =>
  `https://line.me/R/oaMessage/${encodeURIComponent(basicId).replace(/^%40/, '@')}/?${encodeURIComponent(message)}`;

/** https://wa.me/{number}?text={message}: the number in international format, digits only. */
export const whatsAppClickToChatUrl = (phoneNumber: string, message: string): string =>
  `https://wa.me/${phoneNumber.replace(/\D/g, '')}?text=${encodeURIComponent(message)}`;
