/**
 * The POST /v1/checks bodies the HTTP benches send: a mix of controlled, transshipment and clear
 * goods, English and Russian; about half of them are flagged (not clear).
 */
export const CHECK_BODIES = [
  { description: 'Deep groove ball bearing 6205-2RS', destination: 'KZ', final_destination: 'RU' },
  { description: 'wooden dining chair', destination: 'DE' },
  { description: 'STM32F407 microcontroller integrated circuit', destination: 'AM', origin: 'US' },
  { description: 'подшипник шариковый 6305', destination: 'RU', origin: 'KZ' },
  {
    description: 'CNC milling machine, 5-axis',
    destination: 'KG',
    hs_code: '8459.61',
    regime: 'EU',
  },
  { description: 'cotton t-shirts, men', destination: 'RU' },
]
