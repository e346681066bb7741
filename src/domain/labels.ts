/**
 * What people read for the case and contact vocabulary, in Chinese (zh-CN, first) and English: contact kinds, the settings of
 * PROTOCOL.md that make a contact, the feeds a presence came from, and a contact's statuses. The web app's pages and
 * the server's exports (a case's contacts as CSV or XLSX) read the same words from here. Every value of the vocabulary
 * has its word (the types say so), so a new setting cannot reach a person untranslated.
 */
import type { CaseKind, CaseOutcome, CodeColour, ContactKind, ContactSetting, ContactStatus, DetectionRoute, PresenceSource, Severity } from './vocab.ts';

/** The languages people read Cordon in: Chinese first. */
export type Lang = 'zh' | 'en';

export interface ContactLabels {
  kinds: Record<ContactKind, string>;
  settings: Record<ContactSetting, string>;
  sources: Record<PresenceSource, string>;
  statuses: Record<ContactStatus, string>;
}

export const CONTACT_LABELS: Record<Lang, ContactLabels> = {
  zh: {
    kinds: { close: '密切接触者', secondary: '密接的密接', companion: '时空伴随者', general: '一般接触者' },
    settings: {
      household: '共同居住', care: '诊疗护理', aerosol_procedure: '气溶胶操作', work_study: '同工作学习', dining_entertainment: '同餐饮娱乐', visit: '探视',
      vehicle: '同乘交通工具', contaminated_environment: '污染环境', shared_facility: '共用设施', adjacent_table: '邻桌', companion_cell: '同基站时空伴随', manual: '流调认定',
    },
    sources: {
      venue_scan: '场所码', gate_registration: '卡口登记', hotel_checkin: '住宿登记', transport_seat: '票务座位', telecom_stay: '通信基站', household: '户籍同住',
      workplace: '单位报备', self_report: '自主申报', investigation: '流调',
    },
    statuses: { identified: '已判定', notified: '已通知', in_quarantine: '隔离中', home_monitoring: '居家监测', released: '已解除', became_case: '已转为病例', lost_to_follow_up: '失访' },
  },
  en: {
    kinds: { close: 'Close contacts', secondary: 'Secondary contacts', companion: 'Spatiotemporal companions', general: 'General contacts' },
    settings: {
      household: 'Household', care: 'Care', aerosol_procedure: 'Aerosol procedure', work_study: 'Work or study', dining_entertainment: 'Dining or entertainment', visit: 'Visit',
      vehicle: 'Same vehicle', contaminated_environment: 'Contaminated environment', shared_facility: 'Shared facility', adjacent_table: 'Next table', companion_cell: 'Same cell', manual: 'By investigation',
    },
    sources: {
      venue_scan: 'Venue code', gate_registration: 'Gate log', hotel_checkin: 'Hotel', transport_seat: 'Ticket', telecom_stay: 'Telecoms', household: 'Household register',
      workplace: 'Employer', self_report: 'Self-report', investigation: 'Interview',
    },
    statuses: { identified: 'Identified', notified: 'Notified', in_quarantine: 'In quarantine', home_monitoring: 'Home monitoring', released: 'Released', became_case: 'Became a case', lost_to_follow_up: 'Lost to follow-up' },
  },
};

export interface CaseLabels {
  kinds: Record<CaseKind, string>;
  outcomes: Record<CaseOutcome, string>;
  severities: Record<Severity, string>;
  detectedBy: Record<DetectionRoute, string>;
}

/** What people read for a case's kind, outcome, severity and how it was found. */
export const CASE_LABELS: Record<Lang, CaseLabels> = {
  zh: {
    kinds: { confirmed: '确诊病例', asymptomatic: '无症状感染者' },
    outcomes: { in_treatment: '治疗中', recovered: '痊愈', discharged: '治愈出院', died: '死亡', transferred_out: '转出' },
    severities: { none: '无症状', mild: '轻型', moderate: '普通型', severe: '重型', critical: '危重型' },
    detectedBy: { symptoms: '就诊发现', contact_screening: '密接筛查', routine_screening: '常规筛查', mass_testing: '全员核酸检测', checkpoint: '卡口查验', imported: '外省通报' },
  },
  en: {
    kinds: { confirmed: 'Confirmed', asymptomatic: 'Asymptomatic' },
    outcomes: { in_treatment: 'In treatment', recovered: 'Recovered', discharged: 'Discharged', died: 'Died', transferred_out: 'Transferred out' },
    severities: { none: 'Asymptomatic', mild: 'Mild', moderate: 'Moderate', severe: 'Severe', critical: 'Critical' },
    detectedBy: { symptoms: 'Sought care', contact_screening: 'Contact screening', routine_screening: 'Routine screening', mass_testing: 'Mass testing', checkpoint: 'Checkpoint', imported: 'Reported by another province' },
  },
};

/** A health code's colour as people name it (绿码, 黄码, 红码). */
export const CODE_COLOUR_LABELS: Record<Lang, Record<CodeColour, string>> = {
  zh: { green: '绿码', yellow: '黄码', red: '红码' },
  en: { green: 'Green code', yellow: 'Yellow code', red: 'Red code' },
};
