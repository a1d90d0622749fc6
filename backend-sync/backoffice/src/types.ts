/** The shapes the admin API answers with (its OpenAPI document is the reference). */
export type AdminRole = 'admin' | 'supervisor' | 'cs_manager' | 'cs_agent' | 'sales_manager';
export type StaffRole = AdminRole | 'sales_associate';

export interface User {
  id: string;
  brandId: string;
  email: string;
  displayName: string;
  role: AdminRole;
  branchId: string | null;
  active: boolean;
  lockedUntil: string | null;
  createdAt: string;
}
export interface Brand {
  id: string;
  name: string;
  timeZone: string;
  verifyMaxAttempts: number;
  verifyLockSeconds: number;
  offlineRedeemLimitHours: number;
  phoneRegion?: string;
  conversationUrls?: { line?: string | null; whatsapp?: string | null };
  createdAt: string;
}
export interface Branch {
  id: string;
  brandId: string;
  name: string;
  code: string;
  /** Set while the branch is closed (no new staff, devices or accounts there). */
  closedAt: string | null;
  createdAt: string;
}
export interface Staff {
  id: string;
  brandId: string;
  branchId: string | null;
  role: StaffRole;
  staffCode: string;
  displayName: string;
  active: boolean;
  /** Set while wrong PINs keep the person from signing in on any till (the hub's lockout). */
  signInLockedUntil?: string | null;
  createdAt: string;
}
export interface Device {
  id: string;
  brandId: string;
  branchId: string;
  name: string;
  state: 'unused' | 'expired' | 'enrolled' | 'revoked';
  pairingExpiresAt: string | null;
  enrolledAt: string | null;
  lastSeenAt: string | null;
  /** What the console last reported of itself (protocol device:status). */
  appVersion: string | null;
  queuedMutations: number | null;
  statusAt: string | null;
  /** The device clock's distance from the hub's; null or absent while unknown. */
  clockOffsetMs?: number | null;
  createdAt: string;
  /** Re-enrolled: the device whose lost credentials this one replaces. */
  replacesDeviceId: string | null;
  pairingCode?: string;
}
export type ButtonKind = 'quick_reply' | 'url' | 'phone' | 'order';
export interface Template {
  name: string;
  language: string;
  preview: string;
  buttons?: { kind: ButtonKind; text: string }[];
}
export interface Channel {
  id: string;
  brandId: string;
  kind: 'line' | 'whatsapp';
  name: string;
  channelId: string | null;
  destination: string | null;
  basicId: string | null;
  phoneNumberId: string | null;
  displayNumber: string | null;
  businessAccountId: string | null;
  templates: Template[];
  hasChannelSecret: boolean;
  hasAppSecret: boolean;
  hasVerifyToken: boolean;
  hasAccessToken: boolean;
  webhookPath: string;
  updatedAt: string;
}
export type ReplyMessage =
  { type: 'text'; text: string } | { type: 'image'; url: string; previewUrl?: string };
export type Reply = { kind: 'text'; text: string } | { kind: 'module'; messages: ReplyMessage[] };
/** The 91APP LINE member-binding card sent after a successful binding. */
export interface MemberCard {
  text: string;
  label: string;
  url: string;
}
export interface BindingSettings {
  brandId: string;
  mode: 'fixed' | 'free';
  allowTransfer: boolean;
  prefix: string;
  suffix: string;
  successMessage: Reply;
  repeatMessage: Reply;
  defaultReply: Reply | null;
  branchSuccessMessages: { branchId: string; successMessage: Reply }[];
  memberCard: MemberCard | null;
  referralValidity: { days: number; from: 'send' | 'click' };
  updatedAt: string | null;
}
export interface AuditRow {
  id: number;
  actorKind: string;
  actorLabel: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  at: string;
}
export interface Items<T> {
  items: T[];
}
