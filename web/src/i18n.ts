/** The page's words in Chinese (first) and English. */
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const zh = {
  title: '湖南省疫情防控指挥平台',
  subtitle: '联防联控 · 态势总览',
  switchTo: 'English',
  persons: '登记人员',
  places: '场所',
  presence: '行程轨迹记录',
  cases: '病例',
  contacts: '管控接触者',
  redCodes: '红码人员',
  yellowCodes: '黄码人员',
  activeChains: '活跃传播链',
  mapTitle: '各市州病例分布',
  city: '市州',
  loading: '正在加载……',
  failed: '数据加载失败：',
  edition: '防控方案版本',
  engine: '数据库',
  docs: '接口文档',
  riskTitle: '中高风险地区',
  riskMapTitle: '风险地区所在市州',
  riskNone: '当前无中高风险地区',
  level: '等级',
  area: '地区',
  since: '起始时间',
  reason: '依据',
  levels: { high: '高风险', medium: '中风险', low: '低风险' },
  ruleSet: '划分规则',
  ruleSets: { 'county-2020': '以县为单位（2020年）', 'street-2021': '以街道（社区）为单位（2021年）', 'ed9-2022': '第九版方案（2022年）' },
  editions: { 'ed8-2021': '第八版（2021年5月）', 'ed8-delta-2021': '第八版·湖南德尔塔疫情实践（2021年8月）', 'ed9-2022': '第九版（2022年6月）' } as Record<string, string>,
  version: '版本',
  riskReason: (code: string, a: Record<string, number>): string | null => {
    switch (code) {
      case 'no_recent_case': return `${a.windowDays}天内无新增病例`;
      case 'cluster': return `累计病例${a.cumulative}例（超过${a.highAbove}例），${a.windowDays}天内新增${a.recent}例（聚集性疫情不少于${a.clusterMin}例）`;
      case 'new_cases': return `${a.windowDays}天内新增病例${a.recent}例，累计${a.cumulative}例`;
      case 'cases_live_here': return `${a.cases}例病例居住于此；末例后${a.highDays}天内为高风险`;
      case 'stepped_down': return `连续${a.highDays}天无新增感染，已降级`;
      case 'cleared': return `连续${a.highDays}+${a.afterDays}天无新增感染`;
      case 'case_stayed': return '病例在此停留时间较长，有传播风险';
      case 'stay_cleared': return `病例停留后已满${a.mediumDays}天`;
      case 'no_case': return '本区域无病例';
      default: return null;
    }
  },
  reasonUnavailable: '（旧记录，无中文说明）',
};

const en: typeof zh = {
  title: 'Hunan Joint Prevention and Control Command',
  subtitle: 'Situation overview',
  switchTo: '中文',
  persons: 'Registered persons',
  places: 'Places',
  presence: 'Presence records',
  cases: 'Cases',
  contacts: 'Contacts under management',
  redCodes: 'Red codes',
  yellowCodes: 'Yellow codes',
  activeChains: 'Active chains',
  mapTitle: 'Cases by city',
  city: 'City',
  loading: 'Loading…',
  failed: 'Could not load data: ',
  edition: 'Protocol edition',
  engine: 'Database',
  docs: 'API docs',
  riskTitle: 'Medium- and high-risk areas',
  riskMapTitle: 'Cities with risk areas',
  riskNone: 'No medium- or high-risk areas now',
  level: 'Level',
  area: 'Area',
  since: 'Since',
  reason: 'Grounds',
  levels: { high: 'High', medium: 'Medium', low: 'Low' },
  ruleSet: 'Rule set',
  ruleSets: { 'county-2020': 'by county (2020)', 'street-2021': 'by street or community (2021)', 'ed9-2022': 'ninth edition (2022)' },
  editions: { 'ed8-2021': '8th edition (May 2021)', 'ed8-delta-2021': '8th edition as practised against Delta in Hunan (August 2021)', 'ed9-2022': '9th edition (June 2022)' },
  version: 'Cordon',
  // English is the server's own sentence (`reason`): no second copy here.
  riskReason: (_code: string, _args: Record<string, number>): string | null => null,
  reasonUnavailable: '',
};

export type Words = typeof zh;
export const WORDS: Record<Lang, Words> = { 'zh-CN': zh, en };

/** English names of the 14 cities, by code. */
export const CITY_EN: Record<string, string> = {
  '4301': 'Changsha', '4302': 'Zhuzhou', '4303': 'Xiangtan', '4304': 'Hengyang', '4305': 'Shaoyang', '4306': 'Yueyang', '4307': 'Changde',
  '4308': 'Zhangjiajie', '4309': 'Yiyang', '4310': 'Chenzhou', '4311': 'Yongzhou', '4312': 'Huaihua', '4313': 'Loudi', '4331': 'Xiangxi',
};
