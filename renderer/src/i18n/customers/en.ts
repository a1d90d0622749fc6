/** Words of the Customers and My QR screens in English. Same keys as customers/zh-TW.ts. */
import type { CustomersMessages } from './zh-TW';

const customersEn: CustomersMessages = {
  customers: {
    title: 'Customers',
    mine: 'My bound customers',
    count: '{count} in total',
    empty: 'No bound customers yet. Ask a customer to scan "My QR" and send the message to bind.',
    name: 'Name',
    channel: 'Channel',
    phone: 'Phone',
    boundAt: 'Bound at',
    noPhone: '—',
    channels: { line: 'LINE', whatsapp: 'WhatsApp' },
    tableLabel: 'My bound customers',
  },
  myQr: {
    title: 'My QR',
    intro: 'Ask the customer to scan a QR code with their phone and send the message to bind to you.',
    message: 'Binding message',
    lineTitle: 'LINE binding QR',
    whatsappTitle: 'WhatsApp binding QR',
    lineAlt: "{name}'s LINE binding QR code",
    whatsappAlt: "{name}'s WhatsApp binding QR code",
    lineAccount: 'LINE official account {id}',
    whatsappNumber: 'WhatsApp number +{number}',
    notConfigured: 'The brand has not set up this channel. Please contact an administrator.',
    print: 'Print QR codes',
    printHeading: '{name} (staff code {code})',
    scanHint: 'Scan to chat with your personal associate',
    loading: 'Drawing the QR codes…',
  },
};

export default customersEn;
