/**
 * Names of synthetic projects: for each sector a few templates (an expressway between two districts, a bridge over a
 * river, a wastewater plant of some capacity...), in Vietnamese and English, with the scale the description quotes.
 */

import type { Province } from './agencies';
import type { Sector } from './columns';
import { chance, int, pick, type Rng } from './random';
import { HIGHWAYS } from './vocabulary';

export interface Names {
  vi: string;
  en: string;
  scale: string;
}

export function projectNames(
  rng: Rng,
  sector: Sector,
  p: Province,
  d: string,
  d2: string,
  c: string,
  r: string,
  lengthKm: number | null,
): Names {
  const km = lengthKm !== null ? `dài khoảng ${String(lengthKm).replace('.', ',')} km` : '';
  const n = (min: number, max: number) => int(rng, min, max);
  const ql = pick(rng, HIGHWAYS);
  const t = (vi: string, en: string, scale: string): Names => ({ vi, en, scale });
  const options: (() => Names)[] = (() => {
    switch (sector) {
      case 'TRANSPORT_ROAD':
        return [
          () =>
            t(
              `Đầu tư xây dựng đường cao tốc ${d} – ${d2}`,
              `${d} – ${d2} expressway`,
              `${km || 'quy mô'} 4 - 6 làn xe`,
            ),
          () =>
            t(
              `Nâng cấp, mở rộng Quốc lộ ${ql} đoạn qua huyện ${d}`,
              `Upgrading and widening of National Highway ${ql} through ${d} district`,
              `${km || 'mặt cắt ngang'} 4 làn xe`,
            ),
          () =>
            t(
              `Xây dựng đường vành đai ${n(1, 4)} tỉnh ${p.name}`,
              `Ring road ${n(1, 4)} of ${p.name} province`,
              `${km || 'quy mô'} 6 làn xe`,
            ),
          () =>
            t(
              `Cải tạo đường tỉnh ĐT.${n(701, 799)} đoạn ${d} – ${d2}`,
              `Rehabilitation of provincial road DT.${n(701, 799)}, ${d} – ${d2} section`,
              km || 'đường cấp III đồng bằng',
            ),
          () =>
            t(
              `Xây dựng cầu ${c} bắc qua sông ${r}`,
              `${c} bridge over the ${r} River`,
              `cầu bê tông cốt thép dự ứng lực dài ${n(120, 1800)} m`,
            ),
          () =>
            t(
              `Nút giao khác mức ${c} trên Quốc lộ ${ql}`,
              `${c} grade-separated interchange on National Highway ${ql}`,
              'nút giao liên thông 3 tầng',
            ),
        ];
      case 'TRANSPORT_RAIL':
        return [
          () =>
            t(
              `Đầu tư xây dựng tuyến đường sắt ${d} – ${d2}`,
              `${d} – ${d2} railway`,
              `${km || 'tuyến'} khổ 1.435 mm, đường đôi`,
            ),
          () =>
            t(
              `Đường sắt ${p.name} – ${d2} (đoạn qua huyện ${d})`,
              `${p.name} – ${d2} railway (section through ${d} district)`,
              km || 'đường sắt điện khí hóa',
            ),
        ];
      case 'TRANSPORT_URBAN':
        return [
          () =>
            t(
              `Tuyến đường sắt đô thị số ${n(1, 6)} ${d} – ${d2}`,
              `Urban railway line ${n(1, 6)}, ${d} – ${d2}`,
              `${km || 'tuyến'} với ${n(6, 20)} nhà ga`,
            ),
          () =>
            t(`Tuyến xe buýt nhanh (BRT) ${d} – ${d2}`, `${d} – ${d2} bus rapid transit`, km || 'làn xe buýt riêng'),
          () =>
            t(
              `Cải tạo nút giao thông ${c}, thành phố ${d}`,
              `Improvement of the ${c} junction, ${d} city`,
              'cầu vượt và hầm chui',
            ),
          () => t(`Cầu vượt ${c} tại thành phố ${d}`, `${c} flyover in ${d} city`, `cầu vượt dài ${n(200, 900)} m`),
        ];
      case 'TRANSPORT_WATER':
        return [
          () =>
            t(
              `Nạo vét, cải tạo luồng đường thủy nội địa sông ${r}`,
              `Dredging of the ${r} River inland waterway`,
              `${km || 'luồng'} cho tàu ${n(1, 5) * 1000} tấn`,
            ),
          () =>
            t(
              `Cảng thủy nội địa ${c}, huyện ${d}`,
              `${c} inland port, ${d} district`,
              `công suất ${n(1, 9)} triệu tấn/năm`,
            ),
        ];
      case 'TRANSPORT_AIR':
        return [
          () =>
            t(
              `Mở rộng nhà ga hành khách cảng hàng không ${p.name}`,
              `${p.name} airport passenger terminal expansion`,
              `công suất ${n(2, 10)} triệu hành khách/năm`,
            ),
        ];
      case 'TRANSPORT':
        return [
          () => t(`Trung tâm logistics ${d}`, `${d} logistics centre`, `diện tích ${n(20, 150)} ha`),
          () => t(`Bến xe khách ${d}`, `${d} coach station`, `diện tích ${n(2, 8)} ha`),
        ];
      case 'TRANSPORT_LOW_CARBON':
        return [
          () =>
            t(`Tuyến xe buýt điện ${d} – ${d2}`, `${d} – ${d2} electric bus route`, km || `${n(10, 40)} xe buýt điện`),
          () =>
            t(
              `Hệ thống trạm sạc xe điện tỉnh ${p.name}`,
              `Electric vehicle charging network of ${p.name} province`,
              `${n(50, 400)} trạm sạc`,
            ),
          () =>
            t(`Mạng lưới đường dành cho xe đạp thành phố ${d}`, `${d} city cycle network`, km || 'làn xe đạp riêng'),
        ];
      case 'WATER_AND_WASTE':
        return [
          () =>
            t(
              `Hệ thống thoát nước và xử lý nước thải thị xã ${d}`,
              `${d} town drainage and wastewater treatment`,
              `công suất ${n(5, 80)}.000 m³/ngày đêm`,
            ),
          () =>
            t(
              `Nhà máy xử lý nước thải ${d}`,
              `${d} wastewater treatment plant`,
              `công suất ${n(5, 200)}.000 m³/ngày đêm`,
            ),
          () =>
            t(
              `Khu xử lý chất thải rắn tập trung ${c}`,
              `${c} solid waste treatment complex`,
              `công suất ${n(200, 2000)} tấn/ngày`,
            ),
          () =>
            t(
              `Nhà máy nước ${d} giai đoạn ${n(1, 3)}`,
              `${d} water treatment plant, phase ${n(1, 3)}`,
              `công suất ${n(10, 300)}.000 m³/ngày đêm`,
            ),
          () =>
            t(
              `Chống ngập và thoát nước khu vực trung tâm thành phố ${d}`,
              `Flood prevention and drainage for central ${d} city`,
              'cống hộp, hồ điều hòa và trạm bơm',
            ),
        ];
      case 'NATURAL_RESOURCES_FLOOD_PROTECTION':
        return [
          () =>
            t(
              `Kè chống sạt lở bờ sông ${r} đoạn qua huyện ${d}`,
              `${r} River embankment against erosion through ${d} district`,
              `kè dài ${n(1, 12)} km`,
            ),
          () => t(`Hệ thống đê bao chống ngập huyện ${d}`, `${d} district flood dyke system`, `đê dài ${n(5, 60)} km`),
          () => t(`Hồ điều tiết ${c}`, `${c} regulating reservoir`, `dung tích ${n(1, 40)} triệu m³`),
        ];
      case 'NATURAL_RESOURCES':
        return [
          () =>
            t(
              `Trồng và phục hồi rừng phòng hộ đầu nguồn sông ${r}`,
              `Protection forest restoration in the upper ${r} River basin`,
              `${n(200, 5000)} ha`,
            ),
          () => t(`Hồ chứa nước ${c}`, `${c} reservoir`, `dung tích ${n(5, 120)} triệu m³`),
        ];
      case 'ENERGY':
        return [
          () => t(`Đường dây 220 kV ${d} – ${d2}`, `${d} – ${d2} 220 kV transmission line`, `dài ${n(10, 120)} km`),
          () =>
            t(
              `Trạm biến áp 110 kV ${c} và đường dây đấu nối`,
              `${c} 110 kV substation and connection`,
              `công suất ${n(1, 3) * 63} MVA`,
            ),
        ];
      case 'ENERGY_SOLAR':
        return [() => t(`Nhà máy điện mặt trời ${c}`, `${c} solar power plant`, `công suất ${n(20, 450)} MWp`)];
      case 'ENERGY_WIND':
        return [() => t(`Nhà máy điện gió ${c}`, `${c} wind farm`, `công suất ${n(30, 400)} MW`)];
      case 'ENERGY_HYDROPOWER':
        return [
          () =>
            t(`Thủy điện ${c} trên sông ${r}`, `${c} hydropower plant on the ${r} River`, `công suất ${n(10, 250)} MW`),
        ];
      case 'ENERGY_BIOMASS':
        return [() => t(`Nhà máy điện sinh khối ${d}`, `${d} biomass power plant`, `công suất ${n(10, 60)} MW`)];
      case 'ENERGY_GEOTHERMAL':
        return [
          () =>
            t(
              `Nghiên cứu nhà máy điện địa nhiệt ${c}`,
              `${c} geothermal power study`,
              `công suất dự kiến ${n(5, 50)} MW`,
            ),
        ];
      case 'EDUCATION':
        return [
          () => t(`Xây dựng Trường Trung học phổ thông ${c}`, `${c} upper secondary school`, `${n(24, 60)} phòng học`),
          () => t(`Trường Tiểu học ${c}, huyện ${d}`, `${c} primary school, ${d} district`, `${n(15, 40)} phòng học`),
          () => t(`Ký túc xá Trường Cao đẳng ${p.name}`, `${p.name} college dormitory`, `${n(500, 3000)} chỗ ở`),
        ];
      case 'HEALTH':
        return [
          () =>
            t(`Bệnh viện Đa khoa huyện ${d}`, `${d} district general hospital`, `quy mô ${n(1, 10) * 50} giường bệnh`),
          () => t(`Trung tâm Y tế huyện ${d}`, `${d} district health centre`, `quy mô ${n(50, 200)} giường bệnh`),
        ];
      case 'COMMUNICATIONS':
        return [
          () => t(`Trung tâm dữ liệu tỉnh ${p.name}`, `${p.name} provincial data centre`, `${n(100, 800)} tủ rack`),
          () =>
            t(
              `Hạ tầng cáp quang băng rộng huyện ${d}`,
              `${d} district broadband fibre network`,
              `${n(50, 600)} km cáp quang`,
            ),
        ];
      case 'GOVERNANCE':
        return [
          () =>
            t(
              `Trung tâm hành chính công huyện ${d}`,
              `${d} district public administration centre`,
              `diện tích sàn ${n(3, 20)}.000 m²`,
            ),
          () =>
            t(
              `Trụ sở làm việc Ủy ban nhân dân xã ${c}`,
              `${c} commune People's Committee office`,
              `diện tích sàn ${n(1, 4)}.000 m²`,
            ),
        ];
      case 'ECONOMY':
        return [
          () =>
            t(
              `Hạ tầng kỹ thuật khu công nghiệp ${c}`,
              `${c} industrial park infrastructure`,
              `diện tích ${n(100, 1200)} ha`,
            ),
          () => t(`Chợ đầu mối nông sản ${d}`, `${d} agricultural wholesale market`, `diện tích ${n(5, 40)} ha`),
        ];
      case 'CULTURE_SPORTS_AND_RECREATION':
        return [
          () =>
            t(`Nhà thi đấu đa năng tỉnh ${p.name}`, `${p.name} multi-purpose sports arena`, `${n(2, 8)}.000 chỗ ngồi`),
          () => t(`Công viên văn hóa ${d}`, `${d} cultural park`, `diện tích ${n(10, 80)} ha`),
        ];
      case 'SOCIAL_HOUSING':
        return [
          () => t(`Khu nhà ở xã hội ${c}, thành phố ${d}`, `${c} social housing, ${d} city`, `${n(300, 5000)} căn hộ`),
        ];
      default:
        return [() => t(`Dự án hạ tầng ${c}`, `${c} infrastructure project`, 'quy mô theo quy hoạch')];
    }
  })();
  const names = pick(rng, options)();
  if (chance(rng, 0.12)) {
    const phase = int(rng, 1, 3);
    return { vi: `${names.vi} giai đoạn ${phase}`, en: `${names.en}, phase ${phase}`, scale: names.scale };
  }
  return names;
}
