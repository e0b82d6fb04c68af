/**
 * The word lists and weighted tables the synthetic portfolio is drawn from: place names, rivers and highways,
 * provincial departments and their 2025 mergers, plan themes with their sectors, and the weights of sectors,
 * project types, statuses, funding sources, lenders and counts. Every picker here is built once, at load.
 */

import type { AgencyKind, AllocationStatus, ProjectType, Sector, Status } from './columns';
import type { ForeignCurrency } from './money';
import { pick, weighted, type Rng } from './random';

export const PROVINCE_NAMES = [
  'Lộc Ninh',
  'Thủ Dầu Một',
  'Bàu Bàng',
  'Dĩ An',
  'Tân Uyên',
  'Bến Cát',
  'Phú Giáo',
  'Dầu Tiếng',
  'Chơn Thành',
  'Đồng Xoài',
  'Bù Đăng',
  'Phước Long',
  'Hớn Quản',
  'Trảng Bàng',
  'Gò Dầu',
  'Đức Hòa',
  'Cần Giờ',
  'Nhơn Trạch',
  'Long Thành',
  'Châu Đức',
];
export const DISTRICT_NAMES = [
  'Bình Long',
  'Bù Đốp',
  'Hàm Thuận Nam',
  'Đức Linh',
  'Tánh Linh',
  'Xuân Lộc',
  'Định Quán',
  'Tân Phú',
  'Vĩnh Cửu',
  'Cẩm Mỹ',
  'Thống Nhất',
  'Long Điền',
  'Đất Đỏ',
  'Xuyên Mộc',
  'Cần Đước',
  'Cần Giuộc',
  'Bến Lức',
  'Thủ Thừa',
  'Tân Trụ',
  'Châu Thành',
  'Gò Công',
  'Chợ Gạo',
  'Cai Lậy',
  'Cái Bè',
  'Mỏ Cày',
  'Giồng Trôm',
  'Ba Tri',
  'Thạnh Phú',
  'Trà Cú',
  'Cầu Ngang',
  'Duyên Hải',
  'Tiểu Cần',
  'Long Hồ',
  'Mang Thít',
  'Vũng Liêm',
  'Trà Ôn',
  'Tam Bình',
  'Bình Minh',
  'Lai Vung',
  'Lấp Vò',
  'Cao Lãnh',
  'Tháp Mười',
  'Hồng Ngự',
  'Tân Hồng',
  'Châu Phú',
  'Tịnh Biên',
  'Tri Tôn',
  'Thoại Sơn',
  'Hòn Đất',
  'Kiên Lương',
  'Phụng Hiệp',
  'Vị Thủy',
  'Ngã Năm',
  'Mỹ Xuyên',
  'Đầm Dơi',
  'Năm Căn',
  'Ngọc Hiển',
  'Quỳnh Lưu',
  'Diễn Châu',
  'Nghi Lộc',
  'Hương Sơn',
  'Cẩm Xuyên',
  'Kỳ Anh',
  'Bố Trạch',
  'Lệ Thủy',
  'Gio Linh',
  'Hải Lăng',
  'Phong Điền',
  'Phú Vang',
  'Điện Bàn',
  'Thăng Bình',
  'Núi Thành',
  'Bình Sơn',
  'Mộ Đức',
  'Đức Phổ',
  'Hoài Nhơn',
  'Tuy Phước',
  'Sông Cầu',
  'Ninh Hòa',
  'Cam Lâm',
];
const COMMUNE_FIRST = [
  'Tân',
  'Phú',
  'Bình',
  'An',
  'Hòa',
  'Long',
  'Phước',
  'Thạnh',
  'Đông',
  'Tây',
  'Vĩnh',
  'Mỹ',
  'Hưng',
  'Thới',
  'Lạc',
  'Định',
  'Hiệp',
  'Trung',
];
const COMMUNE_SECOND = [
  'Lập',
  'Hưng',
  'Thành',
  'Phú',
  'Định',
  'An',
  'Hòa',
  'Lợi',
  'Mỹ',
  'Đức',
  'Khánh',
  'Thuận',
  'Xuân',
  'Điền',
  'Sơn',
  'Tiến',
  'Nghĩa',
  'Quới',
];
export const RIVERS = [
  'Sài Gòn',
  'Đồng Nai',
  'Bé',
  'Thị Tính',
  'Vàm Cỏ Đông',
  'Tiền',
  'Hậu',
  'Cổ Chiên',
  'Hàm Luông',
  'Lam',
  'Gianh',
  'Thu Bồn',
  'Trà Khúc',
  'Ba',
  'Cái',
  'La Ngà',
];
export const HIGHWAYS = [
  '1A',
  '13',
  '14',
  '20',
  '22',
  '27',
  '50',
  '51',
  '55',
  '56',
  '60',
  '62',
  '80',
  '91',
  '14C',
  '1K',
];
export const LETTERS = [
  'a',
  'b',
  'c',
  'd',
  'đ',
  'e',
  'g',
  'h',
  'i',
  'k',
  'l',
  'm',
  'n',
  'o',
  'p',
  'q',
  'r',
  's',
  't',
  'u',
  'v',
  'x',
  'y',
];

export interface Department {
  code: string;
  name: string;
  nameEn: string;
  kind: AgencyKind;
}
export const DEPARTMENTS: Department[] = [
  { code: 'SGTVT', name: 'Sở Giao thông vận tải', nameEn: 'Department of Transport', kind: 'DEPARTMENT' },
  { code: 'SXD', name: 'Sở Xây dựng', nameEn: 'Department of Construction', kind: 'DEPARTMENT' },
  { code: 'SKHDT', name: 'Sở Kế hoạch và Đầu tư', nameEn: 'Department of Planning and Investment', kind: 'DEPARTMENT' },
  { code: 'STC', name: 'Sở Tài chính', nameEn: 'Department of Finance', kind: 'DEPARTMENT' },
  {
    code: 'STNMT',
    name: 'Sở Tài nguyên và Môi trường',
    nameEn: 'Department of Natural Resources and Environment',
    kind: 'DEPARTMENT',
  },
  {
    code: 'SNNPTNT',
    name: 'Sở Nông nghiệp và Phát triển nông thôn',
    nameEn: 'Department of Agriculture and Rural Development',
    kind: 'DEPARTMENT',
  },
  { code: 'SCT', name: 'Sở Công Thương', nameEn: 'Department of Industry and Trade', kind: 'DEPARTMENT' },
];
export const MERGED_DEPARTMENT: Department = {
  code: 'SNNMT',
  name: 'Sở Nông nghiệp và Môi trường',
  nameEn: 'Department of Agriculture and Environment',
  kind: 'DEPARTMENT',
};
export const RENAMED_DEPARTMENT: Department = {
  code: 'SGTCC',
  name: 'Sở Giao thông công chính',
  nameEn: 'Department of Transport and Public Works',
  kind: 'DEPARTMENT',
};
/** 2025-03-01 restructuring: predecessor department → successor department. */
export const DEPARTMENT_MERGERS: [string, string][] = [
  ['SKHDT', 'STC'],
  ['SGTVT', 'SXD'],
  ['STNMT', 'SNNMT'],
  ['SNNPTNT', 'SNNMT'],
];

export interface Theme {
  heading: string;
  leads: string[];
  sectors: readonly (readonly [Sector, number])[];
  objects: string[];
}
const THEMES: readonly (readonly [Theme, number])[] = [
  [
    {
      heading: 'Phát triển hạ tầng giao thông đường bộ, kết nối liên vùng',
      leads: ['SGTVT'],
      sectors: [
        ['TRANSPORT_ROAD', 9],
        ['TRANSPORT', 1],
      ],
      objects: ['đường cao tốc', 'quốc lộ', 'đường vành đai', 'đường tỉnh', 'cầu', 'nút giao khác mức'],
    },
    9,
  ],
  [
    {
      heading: 'Phát triển hạ tầng đường sắt và đường sắt đô thị',
      leads: ['SGTVT', 'SXD'],
      sectors: [
        ['TRANSPORT_RAIL', 5],
        ['TRANSPORT_URBAN', 5],
      ],
      objects: ['đường sắt', 'đường sắt đô thị', 'nhà ga', 'tuyến xe buýt nhanh'],
    },
    4,
  ],
  [
    {
      heading: 'Phát triển giao thông đô thị, giao thông công cộng và giao thông xanh',
      leads: ['SGTVT', 'SXD'],
      sectors: [
        ['TRANSPORT_URBAN', 7],
        ['TRANSPORT_LOW_CARBON', 3],
      ],
      objects: ['giao thông công cộng', 'xe buýt điện', 'nút giao thông', 'cầu vượt'],
    },
    4,
  ],
  [
    {
      heading: 'Phát triển hạ tầng cấp nước, thoát nước và xử lý nước thải',
      leads: ['SXD', 'STNMT'],
      sectors: [['WATER_AND_WASTE', 10]],
      objects: ['thoát nước', 'xử lý nước thải', 'cấp nước', 'xử lý chất thải rắn'],
    },
    7,
  ],
  [
    {
      heading: 'Phát triển hạ tầng thủy lợi, phòng, chống thiên tai, thích ứng với biến đổi khí hậu',
      leads: ['SNNPTNT', 'STNMT'],
      sectors: [
        ['NATURAL_RESOURCES_FLOOD_PROTECTION', 7],
        ['NATURAL_RESOURCES', 3],
      ],
      objects: ['kè chống sạt lở', 'hồ chứa nước', 'đê bao chống ngập', 'rừng phòng hộ'],
    },
    3,
  ],
  [
    {
      heading: 'Phát triển hạ tầng năng lượng, năng lượng tái tạo',
      leads: ['SCT'],
      sectors: [
        ['ENERGY', 3],
        ['ENERGY_SOLAR', 3],
        ['ENERGY_WIND', 2],
        ['ENERGY_HYDROPOWER', 1],
        ['ENERGY_BIOMASS', 0.5],
        ['ENERGY_GEOTHERMAL', 0.2],
      ],
      objects: ['lưới điện', 'điện mặt trời', 'điện gió', 'trạm biến áp'],
    },
    3,
  ],
  [
    {
      heading: 'Phát triển hạ tầng đường thủy nội địa, cảng và logistics',
      leads: ['SGTVT', 'SCT'],
      sectors: [
        ['TRANSPORT_WATER', 6],
        ['TRANSPORT', 3],
        ['TRANSPORT_AIR', 1],
      ],
      objects: ['luồng đường thủy nội địa', 'cảng thủy nội địa', 'trung tâm logistics', 'cảng hàng không'],
    },
    2,
  ],
  [
    {
      heading: 'Phát triển hạ tầng giáo dục, y tế',
      leads: ['SXD', 'SKHDT'],
      sectors: [
        ['EDUCATION', 5],
        ['HEALTH', 4],
      ],
      objects: ['trường học', 'bệnh viện', 'trung tâm y tế'],
    },
    3,
  ],
  [
    {
      heading: 'Phát triển hạ tầng văn hóa, thể thao và nhà ở xã hội',
      leads: ['SXD'],
      sectors: [
        ['CULTURE_SPORTS_AND_RECREATION', 4],
        ['SOCIAL_HOUSING', 6],
      ],
      objects: ['nhà ở xã hội', 'nhà thi đấu', 'công viên'],
    },
    2,
  ],
  [
    {
      heading: 'Phát triển hạ tầng số, chuyển đổi số',
      leads: ['SCT', 'SKHDT'],
      sectors: [
        ['COMMUNICATIONS', 7],
        ['GOVERNANCE', 3],
      ],
      objects: ['hạ tầng số', 'trung tâm dữ liệu', 'cáp quang băng rộng'],
    },
    2,
  ],
  [
    {
      heading: 'Huy động và sử dụng có hiệu quả nguồn lực đầu tư, phát triển khu công nghiệp',
      leads: ['SKHDT', 'STC'],
      sectors: [
        ['ECONOMY', 6],
        ['TRANSPORT_ROAD', 2],
        ['GOVERNANCE', 2],
      ],
      objects: ['khu công nghiệp', 'hạ tầng kỹ thuật', 'chợ đầu mối'],
    },
    3,
  ],
];
export const pickTheme = weighted(THEMES);
const themeSectorPickers = new Map<Theme, (rng: Rng) => Sector>(
  THEMES.map(([theme]) => [theme, weighted(theme.sectors)]),
);
export const themeSector = (theme: Theme) => themeSectorPickers.get(theme)!;

const SECTOR_WEIGHTS: readonly (readonly [Sector, number])[] = [
  ['TRANSPORT_ROAD', 30],
  ['WATER_AND_WASTE', 14],
  ['TRANSPORT_URBAN', 10],
  ['TRANSPORT_RAIL', 5],
  ['TRANSPORT_WATER', 4],
  ['TRANSPORT', 3],
  ['TRANSPORT_AIR', 1],
  ['TRANSPORT_LOW_CARBON', 2],
  ['EDUCATION', 5],
  ['HEALTH', 4],
  ['ENERGY', 3],
  ['ENERGY_SOLAR', 3],
  ['ENERGY_WIND', 2],
  ['ENERGY_HYDROPOWER', 1.5],
  ['ENERGY_BIOMASS', 0.5],
  ['ENERGY_GEOTHERMAL', 0.2],
  ['COMMUNICATIONS', 2],
  ['GOVERNANCE', 1.5],
  ['ECONOMY', 3],
  ['CULTURE_SPORTS_AND_RECREATION', 2],
  ['SOCIAL_HOUSING', 3],
  ['NATURAL_RESOURCES', 1.5],
  ['NATURAL_RESOURCES_FLOOD_PROTECTION', 3],
];
export const pickSector = weighted(SECTOR_WEIGHTS);
export const pickType = weighted<ProjectType>([
  ['CONSTRUCTION', 55],
  ['REHABILITATION', 18],
  ['EXPANSION', 15],
  ['REPLACEMENT', 7],
  ['DECOMMISSIONING', 1],
]);
export const pickFinalStatus = weighted<Status>([
  ['PLANNED', 14],
  ['PREPARATION', 17],
  ['APPROVED', 16],
  ['UNDER_CONSTRUCTION', 26],
  ['COMPLETED', 17],
  ['SUSPENDED', 5],
  ['CANCELLED', 5],
]);
export const pickAllocationCount = weighted<number>([
  [1, 6],
  [2, 9],
  [3, 12],
  [4, 15],
  [5, 16],
  [6, 14],
  [7, 12],
  [8, 9],
  [9, 7],
]);
export const pickLocationCount = weighted<number>([
  [1, 30],
  [2, 45],
  [3, 25],
]);
export const pickTaskCount = weighted<number>([
  [1, 35],
  [2, 40],
  [3, 25],
]);
export const pickFundingSource = weighted<string>([
  ['PROVINCIAL_BUDGET', 30],
  ['CENTRAL_BUDGET', 25],
  ['ODA', 12],
  ['PPP', 10],
  ['PRIVATE', 8],
  ['LAND_VALUE_CAPTURE', 7],
  ['OTHER', 8],
]);
export const FUNDING_CODES = [
  'ODA',
  'CENTRAL_BUDGET',
  'PROVINCIAL_BUDGET',
  'PPP',
  'LAND_VALUE_CAPTURE',
  'PRIVATE',
  'OTHER',
];
const ODA_LENDERS: readonly (readonly [{ name: string; currency: ForeignCurrency }, number])[] = [
  [{ name: 'World Bank', currency: 'USD' }, 4],
  [{ name: 'ADB', currency: 'USD' }, 3],
  [{ name: 'JICA', currency: 'JPY' }, 4],
  [{ name: 'KfW', currency: 'EUR' }, 1.5],
  [{ name: 'AFD', currency: 'EUR' }, 1.5],
  [{ name: 'EIB', currency: 'EUR' }, 0.5],
  [{ name: 'Korea Eximbank (EDCF)', currency: 'USD' }, 1],
];
export const pickLender = weighted(ODA_LENDERS);
export const COMPANY_WORDS = [
  'Sông Đà',
  'Đèo Cả',
  'Phương Thành',
  'Hoàng Long',
  'Thuận An',
  'Bắc Nam',
  'Trường Sơn',
  'Cửu Long',
  'Hưng Thịnh',
  'Phú Mỹ',
  'Tân Cảng',
  'Đông Á',
  'Hải Vân',
  'Sao Việt',
  'Kiến Phát',
  'Đại Dương',
];
export const COMPANY_FORMS = [
  'Công ty Cổ phần Đầu tư',
  'Công ty Cổ phần Xây dựng',
  'Tổng công ty Xây dựng',
  'Công ty TNHH Phát triển hạ tầng',
  'Công ty Cổ phần Tập đoàn',
];
export const ALLOCATION_STATUS_BY_PROJECT: Record<Status, (rng: Rng) => AllocationStatus> = {
  PLANNED: weighted<AllocationStatus>([
    ['PROPOSED', 70],
    ['PLANNED', 30],
  ]),
  PREPARATION: weighted<AllocationStatus>([
    ['PROPOSED', 50],
    ['PLANNED', 45],
    ['COMMITTED', 5],
  ]),
  APPROVED: weighted<AllocationStatus>([
    ['PROPOSED', 10],
    ['PLANNED', 40],
    ['COMMITTED', 50],
  ]),
  UNDER_CONSTRUCTION: weighted<AllocationStatus>([
    ['PLANNED', 10],
    ['COMMITTED', 45],
    ['DISBURSED', 45],
  ]),
  COMPLETED: weighted<AllocationStatus>([
    ['COMMITTED', 15],
    ['DISBURSED', 85],
  ]),
  SUSPENDED: weighted<AllocationStatus>([
    ['PLANNED', 20],
    ['COMMITTED', 50],
    ['DISBURSED', 30],
  ]),
  CANCELLED: weighted<AllocationStatus>([
    ['PROPOSED', 50],
    ['PLANNED', 40],
    ['COMMITTED', 10],
  ]),
};
export const TRANSPORT_LENGTH_MEDIAN: Partial<Record<Sector, number>> = {
  TRANSPORT_ROAD: 12,
  TRANSPORT_RAIL: 40,
  TRANSPORT_URBAN: 9,
  TRANSPORT_WATER: 25,
  TRANSPORT_LOW_CARBON: 15,
  TRANSPORT: 6,
};

export const commune = (rng: Rng) => `${pick(rng, COMMUNE_FIRST)} ${pick(rng, COMMUNE_SECOND)}`;
