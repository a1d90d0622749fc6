/**
 * Words of the Customers and My QR screens, in Traditional Chinese. Spread into zh-TW.ts;
 * customers/en.ts must have the same keys (checked by type).
 */
const customersZhTW = {
  customers: {
    title: '顧客',
    mine: '我的綁定顧客',
    count: '共 {count} 位',
    empty: '還沒有綁定的顧客。請顧客掃描「我的 QR 碼」並送出訊息，即可完成綁定。',
    name: '姓名',
    channel: '管道',
    phone: '電話',
    boundAt: '綁定時間',
    noPhone: '—',
    channels: { line: 'LINE', whatsapp: 'WhatsApp' },
    tableLabel: '我的綁定顧客名單',
  },
  myQr: {
    title: '我的 QR 碼',
    intro: '請顧客用手機掃描 QR 碼並送出訊息，即可綁定為您的顧客。',
    message: '綁定訊息',
    lineTitle: 'LINE 綁定 QR 碼',
    whatsappTitle: 'WhatsApp 綁定 QR 碼',
    lineAlt: '{name} 的 LINE 綁定 QR 碼',
    whatsappAlt: '{name} 的 WhatsApp 綁定 QR 碼',
    lineAccount: 'LINE 官方帳號 {id}',
    whatsappNumber: 'WhatsApp 號碼 +{number}',
    notConfigured: '品牌尚未設定此管道，請聯絡管理員。',
    print: '列印 QR 碼',
    printHeading: '{name}（員工代碼 {code}）',
    scanHint: '掃描加入，專人為您服務',
    loading: '正在產生 QR 碼…',
  },
};

export default customersZhTW;
export type CustomersMessages = typeof customersZhTW;
