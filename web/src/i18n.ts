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
  signInTitle: '工作人员登录',
  publicNote: '登录后查看本角色可用的内容；中高风险地区向社会公开，列于下方。',
  username: '用户名',
  password: '密码',
  signIn: '登录',
  signOut: '退出登录',
  changePasswordTitle: '请设置自己的密码（当前为一次性密码）',
  currentPassword: '一次性密码',
  newPassword: '新密码（至少10个字符）',
  confirmPassword: '再次输入新密码',
  passwordsDiffer: '两次输入的新密码不一致',
  save: '保存',
  noOverview: '本角色不查看态势总览。',
  errors: {
    WRONG_CREDENTIALS: '用户名或密码错误',
    SESSION_EXPIRED: '登录已过期，请重新登录',
    RATE_LIMITED: '尝试次数过多，请一分钟后再试',
    STORAGE_UNAVAILABLE: '数据库暂时无法访问，请稍后再试',
  } as Record<string, string>,
  errorOther: '操作失败，请稍后再试',
  signInInvalid: '请输入用户名（至多40个字符）和密码',
  passwordWrong: '一次性密码不正确',
  passwordInvalid: '新密码至少10个字符，且不能与原密码相同',
  roles: {
    provincial_command: '省指挥部', city_command: '市州指挥部', county_command: '县市区指挥部', cdc_investigator: '疾控流调人员', grid_worker: '社区网格员',
    checkpoint_staff: '查验点工作人员', quarantine_staff: '隔离点工作人员', lab: '检测机构', hospital: '定点医院', enterprise_liaison: '企业联络员', auditor: '审计人员',
    administrator: '系统管理员', resident: '居民',
  } as Record<string, string>,
  roleNotes: {
    grid_worker: '跟进本网格人员与接触者的管控状态。',
    checkpoint_staff: '在查验点核验健康码与行程卡。',
    quarantine_staff: '跟进隔离人员的管控状态与采样。',
    lab: '录入采样信息与检测结果。',
    hospital: '更新病例的病情并录入采样与结果。',
    enterprise_liaison: '核验本企业人员的健康码。',
    administrator: '管理账户与接口密钥（在服务器命令行中操作，见说明文档），轮换健康码签名密钥。',
    resident: '查看本人的健康码与行程。',
  } as Record<string, string>,
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
  signInTitle: 'Staff sign-in',
  publicNote: 'Sign in to see what your role may see; medium- and high-risk areas are public and listed below.',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  signOut: 'Sign out',
  changePasswordTitle: 'Choose your own password (you signed in with a one-time password)',
  currentPassword: 'One-time password',
  newPassword: 'New password (at least 10 characters)',
  confirmPassword: 'New password again',
  passwordsDiffer: 'The two new passwords differ',
  save: 'Save',
  noOverview: 'This role does not see the situation overview.',
  errors: {
    WRONG_CREDENTIALS: 'Wrong username or password',
    SESSION_EXPIRED: 'The session expired: sign in again',
    RATE_LIMITED: 'Too many attempts: try again in a minute',
    STORAGE_UNAVAILABLE: 'The database cannot be reached; try again later',
  },
  errorOther: 'That did not work; try again later',
  signInInvalid: 'Enter a username (at most 40 characters) and a password',
  passwordWrong: 'The one-time password is wrong',
  passwordInvalid: 'A new password has at least 10 characters and differs from the old one',
  roles: {
    provincial_command: 'Provincial command', city_command: 'City command', county_command: 'County command', cdc_investigator: 'CDC investigator', grid_worker: 'Grid worker',
    checkpoint_staff: 'Checkpoint staff', quarantine_staff: 'Quarantine-site staff', lab: 'Laboratory', hospital: 'Designated hospital', enterprise_liaison: 'Enterprise liaison', auditor: 'Auditor',
    administrator: 'Administrator', resident: 'Resident',
  },
  roleNotes: {
    grid_worker: 'Follow the people and contacts of your grid.',
    checkpoint_staff: 'Verify health codes and itinerary cards at a checkpoint.',
    quarantine_staff: 'Follow the people in quarantine and their samples.',
    lab: 'Record samples and test results.',
    hospital: 'Update cases\' condition and record samples and results.',
    enterprise_liaison: 'Verify the health codes of your enterprise\'s staff.',
    administrator: 'Manage accounts and API keys (on the command line: cordon users, cordon api-keys) and rotate the code-signing key.',
    resident: 'See your own health code and itinerary.',
  },
};

export type Words = typeof zh;
export const WORDS: Record<Lang, Words> = { 'zh-CN': zh, en };

/** English names of the 14 cities, by code. */
export const CITY_EN: Record<string, string> = {
  '4301': 'Changsha', '4302': 'Zhuzhou', '4303': 'Xiangtan', '4304': 'Hengyang', '4305': 'Shaoyang', '4306': 'Yueyang', '4307': 'Changde',
  '4308': 'Zhangjiajie', '4309': 'Yiyang', '4310': 'Chenzhou', '4311': 'Yongzhou', '4312': 'Huaihua', '4313': 'Loudi', '4331': 'Xiangxi',
};
