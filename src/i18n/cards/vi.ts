import type { LesionLabel } from '@/inference/inference.types';
import type { DiseaseCard } from './en';

/** Vietnamese disease cards, translated from the English ones (./en.ts). */
export const viCards: Record<LesionLabel, DiseaseCard> = {
  akiec: {
    name: 'Dày sừng ánh sáng (dày sừng quang hóa) hoặc bệnh Bowen',
    what: 'Một mảng da sần sùi do da bị nắng chiếu nhiều năm. Đây là thay đổi sớm, chỉ ở bề mặt da; nếu để lâu không chữa, đôi khi có thể chuyển thành một loại ung thư da gọi là ung thư biểu mô tế bào vảy. Bệnh hay gặp ở người lớn tuổi có da sáng màu.',
    signs:
      'Một mảng da khô, sần sùi, có vảy hoặc đóng mày, thường nhỏ hơn 2 cm, ở vùng da hay bị nắng: mặt, da đầu, tai, cánh tay, mu bàn tay. Mảng này có thể màu hồng, đỏ, nâu hoặc xám, sờ vào thấy ráp như giấy nhám.',
    treatment:
      'Thường đơn giản: kem bôi hoặc gel, áp lạnh (đốt lạnh), điều trị bằng ánh sáng, hoặc một tiểu phẫu. Bác sĩ sẽ chọn cách phù hợp.',
    complications:
      'Một số ít mảng này dần dần trở thành ung thư da, vì vậy cần được bác sĩ kiểm tra và điều trị sớm. Chống nắng giúp ngăn mảng mới xuất hiện.',
  },
  bcc: {
    name: 'Ung thư biểu mô tế bào đáy',
    what: 'Loại ung thư da hay gặp nhất. Nó phát triển chậm và hầu như không bao giờ lan sang các cơ quan khác, nhưng nếu không chữa, nó sẽ tiếp tục lấn vào vùng da xung quanh.',
    signs:
      'Một nốt sần bóng, trắng như ngọc trai hoặc trong suốt, đôi khi có mạch máu nhỏ; một vết loét hay chảy máu, đóng mày và không lành; hoặc một mảng đỏ, phẳng, có vảy, hay một vùng trông như sẹo. Thường ở mặt, tai hoặc cổ.',
    treatment:
      'Thường được cắt bỏ bằng một tiểu phẫu. Nạo và đốt điện, xạ trị, kem bôi hoặc thuốc uống là những cách khác bác sĩ có thể chọn.',
    complications:
      'Nếu không chữa, nó có thể làm hại da, dây thần kinh hoặc các bộ phận gần đó như mắt, và có thể tái phát sau điều trị, vì vậy cần tái khám.',
  },
  bkl: {
    name: 'Dày sừng lành tính (ví dụ dày sừng tiết bã)',
    what: 'Một khối phát triển lành tính ở lớp ngoài cùng của da, hay gặp khi lớn tuổi và do nắng. Đây không phải ung thư, nhưng một số trông giống ung thư, nên cần bác sĩ xác nhận.',
    signs:
      'Một nốt sần màu nâu, đen hoặc nâu nhạt, trông như sáp hoặc như “dán” lên da, đôi khi sần sùi. Có thể xuất hiện ở bất kỳ đâu trừ lòng bàn tay và lòng bàn chân.',
    treatment:
      'Không cần điều trị. Nếu nó bị kích ứng, vướng vào quần áo hoặc làm bạn khó chịu, bác sĩ có thể loại bỏ bằng áp lạnh, nạo hoặc laser.',
    complications:
      'Nó có thể bị kích ứng, viêm hoặc nhiễm trùng sau khi bị cọ xát. Nguy cơ chính là nhầm lẫn với ung thư da, vì vậy nên để bác sĩ xem.',
  },
  df: {
    name: 'U xơ da (dermatofibroma)',
    what: 'Một cục cứng lành tính trong da, có thể là phản ứng sau một vết thương nhỏ như côn trùng cắn. Hay gặp ở phụ nữ hơn.',
    signs:
      'Một nốt cứng, nhỏ (thường dưới 1 cm), tròn, màu hồng, nâu hoặc xám, hay gặp nhất ở cẳng chân. Khi véo nhẹ, nó lõm vào trong; có thể đau khi chạm vào hoặc ngứa.',
    treatment: 'Không cần điều trị. Có thể cắt bỏ bằng tiểu phẫu nếu nó gây đau hoặc làm bạn khó chịu.',
    complications:
      'Hiếm khi bị đau hoặc nhiễm trùng sau khi bị xước lúc cạo lông. Nó có thể giống các cục u khác, vì vậy hãy để bác sĩ xác nhận.',
  },
  mel: {
    name: 'U hắc tố ác tính (melanoma)',
    what: 'Loại ung thư da nguy hiểm nhất, bắt đầu từ các tế bào tạo màu cho da. Nếu phát hiện sớm, thường có thể chữa khỏi bằng một ca mổ đơn giản. Nếu phát hiện muộn, nó có thể lan đến các bộ phận khác của cơ thể.',
    signs:
      'Một nốt ruồi mới, hoặc một nốt ruồi thay đổi. Dấu hiệu cảnh báo (quy tắc ABCDE): hình dạng không cân đối, bờ không đều, nhiều màu, đường kính trên 6 mm, và thay đổi theo thời gian. Nó cũng có thể ngứa hoặc chảy máu. Có thể xuất hiện ở bất kỳ đâu trên cơ thể.',
    treatment:
      'Cắt bỏ bằng phẫu thuật, kèm xét nghiệm để xem đã lan chưa. Một số người cần điều trị thêm, như liệu pháp miễn dịch. Bác sĩ chuyên khoa sẽ lên kế hoạch điều trị.',
    complications:
      'Nếu không điều trị sớm, nó có thể lan đến hạch bạch huyết và các cơ quan. Vì vậy, vết nghi là u hắc tố cần được bác sĩ khám sớm.',
  },
  nv: {
    name: 'Nốt ruồi thông thường (nơ-vi sắc tố)',
    what: 'Một nốt ruồi bình thường: một đám tế bào sắc tố lành tính. Hầu như ai cũng có vài nốt.',
    signs:
      'Một đốm nhỏ hình tròn hoặc bầu dục, màu nâu, nâu nhạt hoặc đen, màu và hình dạng đều. Có thể phẳng hoặc nhô lên, và có thể có lông.',
    treatment: 'Không cần điều trị. Bác sĩ có thể cắt bỏ nếu nó trông bất thường hoặc làm bạn khó chịu.',
    complications:
      'Rất hiếm khi nốt ruồi chuyển thành u hắc tố ác tính. Hãy đi khám bác sĩ nếu nốt ruồi thay đổi kích thước, hình dạng hoặc màu sắc, chảy máu hoặc ngứa.',
  },
  vasc: {
    name: 'Tổn thương mạch máu (ví dụ u mạch anh đào)',
    what: 'Một đốm được tạo bởi các mạch máu nhỏ. Phần lớn là lành tính, như u mạch anh đào (nốt ruồi son), giãn mạch hình mạng nhện hoặc bớt bẩm sinh.',
    signs: 'Một đốm hoặc nốt nhô màu đỏ, tím hoặc xanh, đôi khi có bờ rõ; có thể nhạt màu đi khi ấn vào.',
    treatment: 'Thường không cần. Nếu nó hay chảy máu hoặc làm bạn khó chịu, bác sĩ có thể điều trị, ví dụ bằng laser.',
    complications:
      'Nó có thể chảy máu nếu bị gãi. Hiếm khi, ở trẻ em, một đốm lớn nhanh hoặc ảnh hưởng đến mắt hay đường thở: khi đó hãy đi khám bác sĩ.',
  },
};
