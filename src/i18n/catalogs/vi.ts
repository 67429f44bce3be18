import type { Catalog } from './en';

/** Vietnamese (Tiếng Việt). Same keys as English; `{placeholders}` and /commands are kept as they are. */
export const vi: Catalog = {
  languageName: 'Tiếng Việt',
  welcome:
    'Chào mừng bạn đến với DermLink. Hãy gửi ảnh một vết hoặc nốt ruồi trên da, chúng tôi sẽ cho bạn ý kiến ban đầu tự động trong vài giây, và một bác sĩ sẽ xem hồ sơ của bạn.',
  chooseLanguage: 'Vui lòng chọn ngôn ngữ của bạn:',
  consent:
    'Trước khi bắt đầu, vui lòng đọc điều này:\n' +
    '• Chúng tôi lưu ảnh, câu trả lời của bạn và tin nhắn chúng tôi gửi bạn, để xử lý hồ sơ của bạn.\n' +
    '• Chỉ chương trình máy tính và các bác sĩ đã đăng ký của chúng tôi được xem những thông tin này.\n' +
    '• Kết quả tự động KHÔNG phải là chẩn đoán. Chỉ bác sĩ mới có thể chẩn đoán.\n' +
    '• Bạn có thể xóa dữ liệu của mình bất cứ lúc nào bằng lệnh /delete.\n' +
    'Bạn có đồng ý không?',
  consentAgree: 'Tôi đồng ý',
  consentDecline: 'Không, cảm ơn',
  consentThanks: 'Cảm ơn bạn. Hãy gửi một ảnh chụp gần vết trên da, rõ nét, đủ ánh sáng.',
  consentDeclined:
    'Không sao. Sẽ không có gì được phân tích. Nếu bạn đổi ý, hãy gửi /start. Nếu bạn lo lắng về vết này, hãy đi khám bác sĩ.',
  consentNeeded: 'Ảnh của bạn được giữ an toàn, nhưng chúng tôi cần bạn đồng ý trước khi xem ảnh.',
  photoReceived: 'Đã nhận ảnh. Đang kiểm tra…',
  pendingAfterConsent: 'Bây giờ chúng tôi đang xem ảnh bạn gửi lúc trước…',
  resultHeader: 'Ý kiến ban đầu tự động (không phải chẩn đoán)',
  resultTop: 'Khả năng cao nhất: {name} ({percent}%)',
  resultNext: 'Các khả năng khác: {list}',
  resultUncertain: 'Máy chưa chắc chắn về ảnh này: các khả năng rất gần nhau. Bác sĩ sẽ xem kỹ.',
  riskUrgent: 'Mức ưu tiên: KHẨN. Hãy đi khám bác sĩ hoặc phòng khám da liễu trong vài ngày tới, đừng để đến vài tuần.',
  riskSoon: 'Mức ưu tiên: SỚM. Hãy sắp xếp đi khám bác sĩ trong vài tuần tới.',
  riskRoutine: 'Mức ưu tiên: THÔNG THƯỜNG. Hãy theo dõi vết này; đi khám bác sĩ nếu nó thay đổi, chảy máu hoặc ngứa.',
  notDiagnosis:
    'Đây là ước tính của máy tính, không phải chẩn đoán. Kết quả có thể sai. Chỉ bác sĩ mới có thể cho bạn biết đây là gì.',
  caseOpened: 'Một bác sĩ sẽ xem hồ sơ của bạn. Mã hồ sơ của bạn là {code}.',
  retakeIntro: 'Chúng tôi không dùng được ảnh này: {reasons}. Vui lòng gửi ảnh mới.',
  notSkin: 'Ảnh này có vẻ không phải là ảnh một vết trên da. Vui lòng gửi ảnh chụp gần vết trên da.',
  reason_empty_file: 'tệp bị trống',
  reason_unsupported_format: 'chúng tôi không mở được tệp này dưới dạng ảnh (hãy gửi ảnh JPEG hoặc PNG)',
  reason_too_small: 'ảnh quá nhỏ; hãy gửi ảnh ở kích thước đầy đủ',
  reason_too_many_pixels: 'ảnh quá lớn, không mở được',
  reason_blurry: 'ảnh bị mờ; hãy giữ yên điện thoại và chạm vào màn hình để lấy nét',
  reason_too_dark: 'ảnh quá tối; hãy chụp dưới ánh sáng ban ngày hoặc đèn sáng',
  reason_overexposed: 'ảnh quá sáng; tránh dùng đèn flash và ánh nắng chiếu trực tiếp',
  reason_not_skin: 'ảnh có vẻ không phải là da',
  processingFailed: 'Xin lỗi, đã có lỗi khi xem ảnh của bạn. Ảnh vẫn được lưu; chúng tôi sẽ sớm thử lại.',
  unsupported: 'Xin lỗi, ở đây chúng tôi chỉ đọc được ảnh và tin nhắn chữ ngắn. Vui lòng gửi ảnh vết trên da.',
  textHint: 'Để mở hồ sơ, hãy gửi ảnh vết trên da. Gửi /help để xem tôi có thể giúp gì.',
  help:
    'Cách sử dụng:\n' +
    '1. Gửi một ảnh rõ nét của vết trên da.\n' +
    '2. Bạn nhận được ý kiến ban đầu tự động (không phải chẩn đoán) và một mã hồ sơ.\n' +
    '3. Bác sĩ xem hồ sơ và trả lời bạn tại đây.\n' +
    'Lệnh: /status hồ sơ của bạn, /language đổi ngôn ngữ, /delete xóa dữ liệu của bạn, /help xem hướng dẫn này.',
  statusNone: 'Bạn chưa có hồ sơ nào. Hãy gửi một ảnh để mở hồ sơ.',
  statusLine: '{code}: {status} (mở ngày {date})',
  status_new: 'đang chờ phân tích',
  status_awaiting_doctor: 'đang chờ bác sĩ',
  status_claimed: 'bác sĩ đang xem',
  status_answered: 'bác sĩ đã trả lời',
  status_closed: 'đã đóng',
  status_rejected: 'ảnh không dùng được',
  deleteConfirm:
    'Thao tác này sẽ xóa ảnh, câu trả lời và tin nhắn của bạn khỏi DermLink. Bác sĩ sẽ không thể trả lời bạn nữa. Bạn có chắc không?',
  deleteYes: 'Có, xóa tất cả',
  deleteNo: 'Không, giữ lại',
  deleteDone: 'Dữ liệu của bạn đã được xóa. Gửi /start nếu bạn muốn dùng lại DermLink.',
  deleteCancelled: 'Không có gì bị xóa.',
  intakeIntro: 'Vài câu hỏi nhanh sẽ giúp ích cho bác sĩ. Bạn có thể bỏ qua bất kỳ câu nào.',
  skip: 'Bỏ qua',
  yes: 'Có',
  no: 'Không',
  q_bodySite: 'Vết này ở đâu trên cơ thể?',
  bodySite_head: 'Mặt, đầu hoặc cổ',
  bodySite_trunk: 'Ngực, bụng hoặc lưng',
  bodySite_arms: 'Cánh tay hoặc bàn tay',
  bodySite_legs: 'Chân hoặc bàn chân',
  bodySite_intimate: 'Vùng kín',
  bodySite_other: 'Chỗ khác',
  q_duration: 'Bạn có vết này bao lâu rồi?',
  duration_weeks: 'Dưới một tháng',
  duration_months: 'Từ 1 đến 12 tháng',
  duration_years: 'Hơn một năm',
  q_changing: 'Gần đây vết này có thay đổi kích thước, hình dạng hoặc màu sắc không?',
  q_bleeding: 'Vết này có chảy máu không?',
  q_itching: 'Vết này có ngứa không?',
  q_age: 'Bạn bao nhiêu tuổi? (chọn một nhóm tuổi hoặc gõ số tuổi)',
  age_child: 'Dưới 18',
  age_young: '18 đến 39',
  age_middle: '40 đến 59',
  age_older: '60 trở lên',
  q_sex: 'Giới tính của bạn?',
  q_discreet: 'Bạn có muốn bác sĩ thấy ảnh của bạn bị làm mờ cho đến khi họ chạm vào không? (để giữ riêng tư)',
  sex_female: 'Nữ',
  sex_male: 'Nam',
  sex_other: 'Khác / không muốn nói',
  intakeDone: 'Cảm ơn bạn. Câu trả lời của bạn đã được thêm vào hồ sơ {code}.',
  languageSet: 'Đã chọn ngôn ngữ: Tiếng Việt.',
  rateLimited: 'Bạn đang gửi rất nhiều ảnh. Vui lòng đợi một phút, rồi gửi mỗi lần một ảnh.',
  doctorAsksPhoto:
    'Bác sĩ đang xem hồ sơ {code} cần thêm một ảnh của vết này: chụp gần, rõ nét, đủ ánh sáng. Vui lòng gửi ngay bây giờ.',
  extraPhotoAdded: 'Cảm ơn bạn. Ảnh mới đã được thêm vào hồ sơ {code}.',
  followUpSent: 'Tin nhắn của bạn đã được chuyển đến bác sĩ phụ trách hồ sơ {code}.',
  followUpNotSent: 'Xin lỗi, tin nhắn của bạn chưa thể đến được các bác sĩ lúc này. Vui lòng gửi lại sau vài phút.',
  somethingWentWrong: 'Xin lỗi, đã có lỗi xảy ra từ phía chúng tôi. Vui lòng gửi lại tin nhắn sau vài phút.',
  doctorReply: 'Bác sĩ {doctor} về hồ sơ {code} của bạn:',
  doctorUrgent:
    'Bác sĩ {doctor} đã xem hồ sơ {code} và khuyên bạn đi khám trực tiếp bác sĩ hoặc bác sĩ da liễu KHẨN CẤP, trong vài ngày tới. Vui lòng mang theo tin nhắn này.',
  doctorClosed:
    'Bác sĩ {doctor} đã xem hồ sơ {code} và đóng hồ sơ: trường hợp này không cần khám từ xa. Nếu vết này thay đổi hoặc làm bạn lo lắng, hãy gửi ảnh mới hoặc đi khám bác sĩ.',
  mediaUnavailable: 'Xin lỗi, chúng tôi không tải được ảnh của bạn. Vui lòng gửi lại.',
  mediaTooLarge: 'Tệp này quá lớn, chúng tôi không nhận được (trên 20 MB). Vui lòng gửi dưới dạng ảnh bình thường.',
  replyWithNumber: 'Trả lời bằng số của lựa chọn bạn muốn:',
  menuButton: 'Chọn',
  outreachHelp:
    'Chế độ y tế cộng đồng. Gửi NEW để đăng ký một bệnh nhân, rồi gửi ảnh của người đó. Gửi STATUS để xem hồ sơ các bệnh nhân của bạn.',
  outreachAskInitials: 'Bệnh nhân mới. Các chữ cái đầu trong họ tên người đó là gì? (ví dụ: AK)',
  outreachAskAge: 'Người đó bao nhiêu tuổi?',
  outreachAskSex: 'Giới tính của người đó?',
  outreachAskVillage: 'Người đó sống ở thôn, xã hoặc khu vực nào?',
  outreachConsent:
    'Vui lòng đọc cho bệnh nhân nghe: chúng tôi lưu ảnh và câu trả lời của họ để xử lý hồ sơ; chỉ chương trình máy tính và các bác sĩ đã đăng ký của chúng tôi được xem; kết quả tự động không phải là chẩn đoán; họ có thể yêu cầu bạn xóa dữ liệu của họ bất cứ lúc nào. Bệnh nhân có đồng ý không?',
  outreachRegistered: 'Đã đăng ký bệnh nhân {initials}. Bây giờ hãy gửi ảnh vết trên da.',
  outreachNoPatient: 'Gửi NEW để đăng ký bệnh nhân trước khi gửi ảnh.',
  outreachDeclined: 'Không có thông tin nào được đăng ký cho bệnh nhân này.',
  outreachInvalid: 'Vui lòng trả lời câu hỏi ở trên.',
  card_title: 'Thông tin về: {name}',
  card_what: 'Đây là gì',
  card_signs: 'Dấu hiệu thường gặp',
  card_treatment: 'Cách điều trị thường dùng',
  card_complications: 'Vấn đề có thể gặp',
  card_footer:
    'Đây là thông tin chung, không phải chẩn đoán. Hãy đi khám bác sĩ nếu vết này mới xuất hiện, đang thay đổi, chảy máu hoặc làm bạn lo lắng.',
};
