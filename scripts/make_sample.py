"""Generate factwatch's bundled demo data in ``src/factwatch/data/sample/``.

Everything here was written for the factwatch project: the fact-checks, the posts and the
accounts are fictional (no real private person appears; public bodies are named only as the
subject of a rumour, never as the author of an invented statement).  The output is deterministic
(fixed seed), so re-running the script reproduces the committed files byte for byte:

    .venv/bin/python scripts/make_sample.py

``--check`` validates the committed files instead (schema, unique ids, NFD posts, no drift
from this script) and exits 1 on any problem.

Writes ``factchecks.jsonl``, ``posts.jsonl`` and ``expected.jsonl`` (post id -> fact-check id for
every post that repeats a fact-checked claim).  ``entities.yaml`` and ``LICENSE.md`` are not
generated here.
"""

from __future__ import annotations

import json
import random
import sys
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 20261129
OUT = Path(__file__).resolve().parent.parent / "src" / "factwatch" / "data" / "sample"
FC_URL = "https://factwatch.example/factchecks/{}"

# --------------------------------------------------------------------------------------------
# Fact-checks: (id, claim, title, rating, claimant, published_at)
# --------------------------------------------------------------------------------------------

FACTCHECKS: list[tuple[str, str, str, str, str, str]] = [
    # Vietnamese
    (
        "fw-vi-001",
        "Uống nước chanh nóng mỗi sáng có thể chữa khỏi ung thư.",
        "Sai: nước chanh nóng không chữa được ung thư",
        "False",
        "Bài đăng Facebook",
        "2026-02-03T08:30:00Z",
    ),
    (
        "fw-vi-002",
        "Tiêm vắc xin COVID-19 gây vô sinh ở phụ nữ trẻ.",
        "Không có bằng chứng vắc xin COVID-19 gây vô sinh",
        "False",
        "Bài đăng Facebook",
        "2026-01-14T02:15:00Z",
    ),
    (
        "fw-vi-003",
        "Bộ Y tế khuyến cáo xông hơi bằng lá sả và gừng để diệt virus cúm A trong phổi.",
        "Bộ Y tế không đưa ra khuyến cáo xông lá sả diệt virus cúm A",
        "False",
        "Tin nhắn Zalo lan truyền",
        "2026-03-09T04:00:00Z",
    ),
    (
        "fw-vi-004",
        "Thủy điện Hòa Bình sắp xả lũ khẩn cấp, người dân Hà Nội phải sơ tán ngay trong đêm.",
        "Tin thủy điện Hòa Bình xả lũ buộc Hà Nội sơ tán là bịa đặt",
        "False",
        "Bài đăng Facebook",
        "2026-09-18T11:45:00Z",
    ),
    (
        "fw-vi-005",
        "Chính quyền đã ra lệnh sơ tán toàn bộ người dân thành phố Huế trước khi bão đổ bộ.",
        "Không có lệnh sơ tán toàn bộ thành phố Huế",
        "False",
        "Video TikTok",
        "2026-10-02T06:20:00Z",
    ),
    (
        "fw-vi-006",
        "Từ ngày 1/12/2026, người đi xe máy không mang theo căn cước sẽ bị phạt 5 triệu đồng.",
        "Thông tin phạt 5 triệu đồng vì không mang căn cước khi đi xe máy là sai",
        "False",
        "Bài đăng Facebook",
        "2026-09-25T03:10:00Z",
    ),
    (
        "fw-vi-007",
        "Chính phủ tăng lương cơ sở lên 4,5 triệu đồng cho tất cả công chức từ tháng 1/2027.",
        "Chưa có quyết định tăng lương cơ sở lên 4,5 triệu đồng",
        "Unproven",
        "Bài đăng lan truyền",
        "2026-08-30T09:00:00Z",
    ),
    (
        "fw-vi-008",
        "Hà Nội cho toàn bộ học sinh nghỉ học hai tuần vì dịch cúm.",
        "Hà Nội không cho học sinh nghỉ học hai tuần vì cúm",
        "False",
        "Nhóm Zalo phụ huynh",
        "2026-03-16T01:30:00Z",
    ),
    (
        "fw-vi-009",
        "Ngân hàng sẽ khóa tài khoản nếu khách hàng không cập nhật sinh trắc học qua đường link gửi trong tin nhắn SMS.",
        "Cảnh báo: tin nhắn yêu cầu cập nhật sinh trắc học qua đường link là lừa đảo",
        "False",
        "Tin nhắn SMS",
        "2026-06-11T07:40:00Z",
    ),
    (
        "fw-vi-010",
        "Gạo nhựa từ Trung Quốc đang được bán tràn lan ở các chợ Việt Nam.",
        "Không có gạo nhựa bán ở chợ Việt Nam",
        "False",
        "Video YouTube",
        "2026-04-22T05:05:00Z",
    ),
    (
        "fw-vi-011",
        "Ảnh chụp con cá sấu khổng lồ trôi trên đường phố Hội An sau trận lũ là ảnh thật.",
        "Ảnh cá sấu khổng lồ ở Hội An được tạo bằng AI",
        "False",
        "Bài đăng Facebook",
        "2026-10-21T10:00:00Z",
    ),
    (
        "fw-vi-012",
        "Ăn tỏi sống mỗi ngày giúp phòng tránh hoàn toàn COVID-19.",
        "Tỏi sống không giúp phòng tránh COVID-19",
        "Mostly false",
        "Bài đăng Facebook",
        "2026-01-28T08:00:00Z",
    ),
    (
        "fw-vi-013",
        "Đến năm 2030, nước biển dâng sẽ nhấn chìm toàn bộ Thành phố Hồ Chí Minh.",
        "Nước biển dâng đe dọa TP.HCM nhưng không nhấn chìm toàn bộ vào năm 2030",
        "Misleading",
        "Bài đăng lan truyền",
        "2026-05-05T02:45:00Z",
    ),
    (
        "fw-vi-014",
        "Một hãng xe máy tặng miễn phí 500 chiếc xe nhân dịp sinh nhật, chỉ cần chia sẻ bài viết và bình luận số điện thoại.",
        "Trang giả mạo tặng xe máy miễn phí để thu thập số điện thoại",
        "False",
        "Trang Facebook giả mạo",
        "2026-07-19T12:00:00Z",
    ),
    (
        "fw-vi-015",
        "Uống rượu bia ngay sau khi ăn sầu riêng có thể gây nguy hiểm đến tính mạng.",
        "Ăn sầu riêng rồi uống rượu: có rủi ro nhưng bị phóng đại",
        "Mixed",
        "Bài đăng Facebook",
        "2026-06-27T04:30:00Z",
    ),
    # French
    (
        "fw-fr-001",
        "Le vaccin contre la grippe de cette saison contient une puce de traçage 5G.",
        "Non, le vaccin antigrippal ne contient pas de puce 5G",
        "False",
        "Publication virale",
        "2026-10-06T09:15:00Z",
    ),
    (
        "fw-fr-002",
        "Le bicarbonate de soude guérit le cancer en quelques semaines.",
        "Le bicarbonate de soude ne guérit pas le cancer",
        "False",
        "Vidéo virale",
        "2026-02-17T14:00:00Z",
    ),
    (
        "fw-fr-003",
        "Météo-France a déclenché une alerte rouge tempête sur toute la Bretagne avec ordre d'évacuer les côtes.",
        "Aucun ordre d'évacuation : la fausse alerte rouge tempête en Bretagne",
        "False",
        "Capture d'écran virale",
        "2026-10-15T07:30:00Z",
    ),
    (
        "fw-fr-004",
        "Un décret impose une amende de 135 euros aux piétons qui traversent la rue en regardant leur téléphone.",
        "Aucun décret ne prévoit d'amende de 135 euros pour les piétons sur leur téléphone",
        "False",
        "Publication virale",
        "2026-09-03T10:20:00Z",
    ),
    (
        "fw-fr-005",
        "Le SMIC va augmenter de 300 euros net au 1er janvier 2027.",
        "Une hausse de 300 euros du SMIC au 1er janvier 2027 n'est pas prévue",
        "False",
        "Publication Facebook",
        "2026-08-28T06:00:00Z",
    ),
    (
        "fw-fr-006",
        "Les écoles vont fermer une semaine de plus avant Noël à cause de l'épidémie de grippe.",
        "Non, les vacances de Noël ne sont pas avancées d'une semaine",
        "False",
        "Message WhatsApp",
        "2026-11-02T08:45:00Z",
    ),
    (
        "fw-fr-007",
        "La carte Vitale doit être renouvelée en ligne avant la fin du mois, sinon les remboursements seront suspendus.",
        "Arnaque : le faux SMS sur le renouvellement de la carte Vitale",
        "False",
        "SMS frauduleux",
        "2026-05-12T11:10:00Z",
    ),
    (
        "fw-fr-008",
        "Une photo montre la tour Eiffel les pieds dans l'eau après une crue historique de la Seine.",
        "La photo de la tour Eiffel inondée a été générée par une IA",
        "False",
        "Publication virale",
        "2026-07-08T15:30:00Z",
    ),
    (
        "fw-fr-009",
        "Le réchauffement climatique s'est arrêté depuis 2015.",
        "Non, le réchauffement climatique ne s'est pas arrêté",
        "False",
        "Publication virale",
        "2026-04-02T09:00:00Z",
    ),
    (
        "fw-fr-010",
        "Le miel devient toxique lorsqu'on le met dans une boisson chaude.",
        "Le miel chauffé n'est pas toxique, mais perd certaines qualités",
        "Misleading",
        "Publication Instagram",
        "2026-03-24T13:20:00Z",
    ),
    # English
    (
        "fw-en-001",
        "The WHO has confirmed a new pandemic virus and global lockdowns will begin in December.",
        "No, the WHO has not announced a new pandemic or December lockdowns",
        "False",
        "Viral post",
        "2026-10-27T16:00:00Z",
    ),
    (
        "fw-en-002",
        "Miracle Mineral Solution (chlorine dioxide) cures COVID-19 and malaria.",
        "Drinking chlorine dioxide does not cure COVID-19 or malaria and is dangerous",
        "False",
        "Telegram channel",
        "2026-01-09T12:00:00Z",
    ),
    (
        "fw-en-003",
        "mRNA vaccines permanently change your DNA.",
        "mRNA vaccines do not alter human DNA",
        "False",
        "Viral post",
        "2026-02-24T10:30:00Z",
    ),
    (
        "fw-en-004",
        "A photo shows a shark swimming down a flooded street in Da Nang during the typhoon.",
        "The shark in a flooded Da Nang street is an AI-generated image",
        "False",
        "Viral post",
        "2026-10-12T03:00:00Z",
    ),
    (
        "fw-en-005",
        "Taking megadoses of vitamin C cures the flu within 24 hours.",
        "Vitamin C megadoses do not cure the flu overnight",
        "Mostly false",
        "Viral post",
        "2026-01-20T09:40:00Z",
    ),
    (
        "fw-en-006",
        "The government is sending a £500 cost-of-living payment to everyone who registers through a link shared on WhatsApp.",
        "The £500 cost-of-living payment link on WhatsApp is a scam",
        "False",
        "WhatsApp message",
        "2026-09-10T08:00:00Z",
    ),
    (
        "fw-en-007",
        "A text saying your parcel is held at customs until you pay a £1.99 fee comes from the postal service.",
        "Parcel 'customs fee' texts are a phishing scam",
        "False",
        "SMS message",
        "2026-06-03T07:15:00Z",
    ),
    (
        "fw-en-008",
        "5G masts are killing birds in large numbers.",
        "There is no evidence 5G masts kill birds",
        "False",
        "Viral post",
        "2026-03-30T18:00:00Z",
    ),
    (
        "fw-en-009",
        "All schools in England will close for two weeks in January because of a flu outbreak.",
        "Schools in England are not closing for two weeks in January",
        "False",
        "Facebook post",
        "2026-11-05T10:00:00Z",
    ),
    (
        "fw-en-010",
        "A video shows a giant wave crashing over a cruise ship in Ha Long Bay.",
        "The Ha Long Bay giant wave video was made with AI",
        "False",
        "Viral video",
        "2026-08-14T05:50:00Z",
    ),
    (
        "fw-en-011",
        "Arctic sea ice has recovered to its 1980 level, so global warming is a hoax.",
        "Arctic sea ice has not recovered to 1980 levels",
        "False",
        "Viral post",
        "2026-09-29T14:25:00Z",
    ),
    (
        "fw-en-012",
        "Microwaving food destroys all of its nutrients.",
        "Microwaving does not destroy all nutrients in food",
        "Mostly false",
        "Viral post",
        "2026-04-16T11:00:00Z",
    ),
    (
        "fw-en-013",
        "Washing raw chicken before cooking spreads bacteria around your kitchen.",
        "Washing raw chicken can indeed spread bacteria",
        "Mostly true",
        "Viral post",
        "2026-05-21T09:30:00Z",
    ),
    (
        "fw-en-014",
        "An airline is giving away two free tickets to everyone who shares its anniversary post.",
        "The 'free airline tickets for sharing' posts are a giveaway scam",
        "False",
        "Facebook page",
        "2026-07-02T13:00:00Z",
    ),
    (
        "fw-en-015",
        "The EU will ban all cash payments from 2027.",
        "The EU is not banning cash; it is capping large cash payments",
        "Misleading",
        "Viral post",
        "2026-06-19T10:10:00Z",
    ),
]

# --------------------------------------------------------------------------------------------
# Posts that repeat a fact-checked claim: fc id -> [(lang, text, form)], form is
# "" (as written), "nodia" (Vietnamese typed without diacritics) or "nfd" (Unicode NFD).
# --------------------------------------------------------------------------------------------

REPEATS: dict[str, list[tuple[str, str, str]]] = {
    "fw-vi-001": [
        (
            "vi",
            "Mỗi sáng uống một cốc nước chanh nóng là khỏi ung thư, bác sĩ cũng không muốn bạn biết điều này. Chia sẻ cho người thân nhé!",
            "",
        ),
        (
            "vi",
            "Uống nước chanh nóng chữa khỏi ung thư, mẹ mình uống 3 tháng nay thấy khỏe hẳn",
            "nodia",
        ),
        (
            "vi",
            "Nước chanh ấm buổi sáng tiêu diệt tế bào ung thư hiệu quả gấp 10.000 lần hóa trị!!!",
            "nfd",
        ),
        (
            "en",
            "Hot lemon water every morning cures cancer. Doctors in Vietnam have known this for years.",
            "",
        ),
        (
            "fr",
            "Boire de l'eau chaude citronnée chaque matin guérirait le cancer, partagez avant que ce soit supprimé !",
            "",
        ),
    ],
    "fw-vi-002": [
        (
            "vi",
            "Con gái đừng đi tiêm vắc xin COVID nữa, tiêm vào là bị vô sinh đấy, nhiều người biết mà không dám nói.",
            "",
        ),
        ("vi", "Vac xin covid gay vo sinh o phu nu tre, ai co con gai thi can than", "nodia"),
        (
            "en",
            "COVID vaccines are making young women infertile, and nobody in the media will report it.",
            "",
        ),
    ],
    "fw-vi-003": [
        (
            "vi",
            "Bộ Y tế vừa khuyến cáo: xông lá sả, gừng mỗi tối để diệt virus cúm A trong phổi. Mọi người làm ngay nhé.",
            "",
        ),
        (
            "vi",
            "BYT huong dan xong hoi la sa gung de diet virus cum A, ca nha minh xong roi",
            "nodia",
        ),
        (
            "vi",
            "Xông hơi bằng sả và gừng giết sạch virus cúm A trong phổi, đây là khuyến cáo của Bộ Y tế.",
            "nfd",
        ),
    ],
    "fw-vi-004": [
        (
            "vi",
            "KHẨN CẤP: Thủy điện Hòa Bình chuẩn bị xả lũ, toàn bộ người dân Hà Nội phải sơ tán trong đêm nay!!!",
            "",
        ),
        (
            "vi",
            "Nghe nói thủy điện Hòa Bình sắp xả lũ khẩn, Hà Nội phải sơ tán hết, có ai biết thật không?",
            "nfd",
        ),
        ("vi", "Thuy dien Hoa Binh xa lu khan cap, dan Ha Noi so tan ngay dem nay", "nodia"),
        (
            "en",
            "Urgent: the Hoa Binh dam is about to release floodwater and all of Hanoi must evacuate tonight.",
            "",
        ),
    ],
    "fw-vi-005": [
        (
            "vi",
            "Đã có lệnh sơ tán toàn bộ dân thành phố Huế trước khi bão vào, bà con chuẩn bị đồ đạc đi ngay.",
            "",
        ),
        (
            "vi",
            "Huế ra lệnh sơ tán hết người dân toàn thành phố vì bão sắp đổ bộ, chia sẻ gấp!",
            "nfd",
        ),
        ("vi", "Lenh so tan toan bo nguoi dan thanh pho Hue truoc bao, ai o Hue di ngay", "nodia"),
    ],
    "fw-vi-006": [
        (
            "vi",
            "Từ 1/12 đi xe máy mà quên căn cước là bị phạt 5 triệu nhé các bác, nhớ mang theo.",
            "",
        ),
    ],
    "fw-vi-007": [
        (
            "vi",
            "Tin vui cho anh chị em công chức: lương cơ sở tăng lên 4,5 triệu từ tháng 1 năm 2027 rồi!",
            "",
        ),
        ("vi", "Luong co so tang len 4.5 trieu dong tu thang 1/2027 cho tat ca cong chuc", "nodia"),
    ],
    "fw-vi-008": [
        (
            "vi",
            "Phụ huynh chú ý: Hà Nội cho tất cả học sinh nghỉ học 2 tuần vì dịch cúm, bắt đầu từ thứ Hai.",
            "",
        ),
        ("vi", "Ha Noi cho hoc sinh nghi hoc hai tuan vi dich cum, thong bao tu so", "nodia"),
        (
            "vi",
            "Toàn bộ học sinh Hà Nội được nghỉ học hai tuần do cúm lan rộng, các trường đã nhận công văn.",
            "nfd",
        ),
    ],
    "fw-vi-009": [
        (
            "vi",
            "Ngân hàng vừa nhắn: nếu không cập nhật sinh trắc học qua đường link này thì tài khoản sẽ bị khóa trong 24 giờ.",
            "",
        ),
        (
            "vi",
            "Ngan hang khoa tai khoan neu khong cap nhat sinh trac hoc qua link trong tin nhan, moi nguoi lam ngay di",
            "nodia",
        ),
        (
            "en",
            "Your bank will freeze your account unless you update your biometric data through the link in this SMS.",
            "",
        ),
    ],
    "fw-vi-010": [
        (
            "vi",
            "Gạo nhựa Trung Quốc đang bán đầy chợ, nấu lên vo viên nảy như bóng bàn. Các mẹ cẩn thận!",
            "nfd",
        ),
        ("vi", "Gao nhua Trung Quoc tran lan cho Viet Nam, mua gao phai xem ky", "nodia"),
        ("en", "Plastic rice from China is being sold all over Vietnamese markets.", ""),
    ],
    "fw-vi-011": [
        (
            "vi",
            "Ảnh thật 100%: cá sấu khổng lồ trôi trên phố Hội An sau lũ, dân ở đây sợ không dám ra đường.",
            "",
        ),
        (
            "vi",
            "Con cá sấu to thế này trôi giữa đường phố Hội An sau trận lũ, ảnh do người dân chụp.",
            "",
        ),
    ],
    "fw-vi-012": [
        ("vi", "Mỗi ngày ăn 2 tép tỏi sống là không bao giờ mắc COVID, cả nhà tôi làm vậy.", ""),
        ("vi", "An toi song moi ngay phong chong COVID-19 hoan toan", "nodia"),
    ],
    "fw-vi-013": [
        ("vi", "Năm 2030 nước biển dâng nhấn chìm cả Sài Gòn, ai có nhà ở đó nên bán sớm.", ""),
        ("en", "By 2030 rising seas will swallow the whole of Ho Chi Minh City.", ""),
    ],
    "fw-vi-014": [
        (
            "vi",
            "Hãng xe tặng 500 xe máy miễn phí mừng sinh nhật! Chỉ cần chia sẻ bài viết và bình luận số điện thoại là có cơ hội nhận xe.",
            "nfd",
        ),
        (
            "vi",
            "Tang mien phi 500 xe may nhan dip sinh nhat hang, share bai va de lai so dien thoai",
            "nodia",
        ),
    ],
    "fw-vi-015": [
        ("vi", "Tuyệt đối không uống bia rượu sau khi ăn sầu riêng, có thể tử vong đấy!", ""),
        ("vi", "An sau rieng xong uong ruou bia co the nguy hiem den tinh mang", "nodia"),
    ],
    "fw-fr-001": [
        (
            "fr",
            "Ils ont mis une puce 5G dans le vaccin contre la grippe cette année. Réveillez-vous !",
            "",
        ),
        ("en", "This season's flu shot contains a 5G tracking chip.", ""),
        ("vi", "Vắc xin cúm năm nay có gắn chip theo dõi 5G, đừng đi tiêm!", ""),
    ],
    "fw-fr-002": [
        (
            "fr",
            "Une cuillère de bicarbonate de soude par jour et le cancer disparaît en quelques semaines. Les labos cachent ça.",
            "",
        ),
        ("en", "Baking soda cures cancer in just a few weeks.", ""),
    ],
    "fw-fr-003": [
        (
            "fr",
            "URGENT : alerte rouge tempête sur toute la Bretagne, Météo-France ordonne d'évacuer les côtes !",
            "",
        ),
        (
            "fr",
            "Météo-France vient de passer toute la Bretagne en alerte rouge tempête, évacuation obligatoire du littoral.",
            "",
        ),
    ],
    "fw-fr-004": [
        (
            "fr",
            "Attention, nouveau décret : 135 € d'amende si vous traversez la rue les yeux sur votre téléphone.",
            "",
        ),
    ],
    "fw-fr-005": [
        ("fr", "Enfin ! Le SMIC augmente de 300 euros net au 1er janvier 2027.", ""),
    ],
    "fw-fr-006": [
        (
            "fr",
            "Les écoles ferment une semaine plus tôt avant Noël à cause de la grippe, c'est le rectorat qui l'a dit.",
            "",
        ),
        (
            "fr",
            "Vacances de Noël avancées d'une semaine : les écoles vont fermer à cause de l'épidémie de grippe.",
            "",
        ),
    ],
    "fw-fr-007": [
        (
            "fr",
            "Votre carte Vitale expire : renouvelez-la en ligne avant la fin du mois sinon vos remboursements seront suspendus.",
            "",
        ),
        (
            "fr",
            "Il faut renouveler sa carte Vitale sur internet avant le 30, sinon plus de remboursements. Vérifiez !",
            "",
        ),
    ],
    "fw-fr-008": [
        (
            "fr",
            "Incroyable photo de la tour Eiffel les pieds dans l'eau après la crue historique de la Seine.",
            "",
        ),
        (
            "en",
            "Photo: the Eiffel Tower standing in floodwater after the Seine burst its banks.",
            "",
        ),
    ],
    "fw-fr-009": [
        (
            "fr",
            "Le réchauffement climatique est terminé depuis 2015, les chiffres le prouvent.",
            "",
        ),
        ("en", "Global warming stopped in 2015.", ""),
    ],
    "fw-fr-010": [
        ("fr", "Ne mettez jamais de miel dans une tisane chaude : il devient toxique !", ""),
    ],
    "fw-en-001": [
        (
            "en",
            "BREAKING: WHO confirms a new pandemic virus. Global lockdowns start in December. Stock up now.",
            "",
        ),
        (
            "fr",
            "L'OMS confirme un nouveau virus pandémique et des confinements mondiaux dès décembre.",
            "",
        ),
        ("vi", "WHO xác nhận có virus đại dịch mới, các nước sẽ phong tỏa từ tháng 12.", ""),
    ],
    "fw-en-002": [
        (
            "en",
            "MMS (chlorine dioxide) cures COVID and malaria. Big Pharma doesn't want you to know.",
            "",
        ),
    ],
    "fw-en-003": [
        ("en", "mRNA shots rewrite your DNA permanently. Once it's in, you can't undo it.", ""),
        ("fr", "Les vaccins à ARN messager modifient définitivement votre ADN.", ""),
        ("vi", "Vắc xin mRNA làm thay đổi ADN của bạn vĩnh viễn.", ""),
        ("vi", "Vac xin mRNA lam thay doi ADN cua con nguoi vinh vien", "nodia"),
    ],
    "fw-en-004": [
        ("en", "Unreal: a shark swimming down a flooded street in Da Nang during the typhoon!", ""),
        ("vi", "Cá mập bơi trên đường phố ngập nước ở Đà Nẵng trong cơn bão, ảnh thật đấy.", ""),
        ("vi", "Ca map boi tren duong ngap o Da Nang trong bao", "nodia"),
    ],
    "fw-en-005": [
        ("en", "Megadose vitamin C and the flu is gone in 24 hours. Works every time.", ""),
        ("fr", "Une mégadose de vitamine C guérit la grippe en 24 heures.", ""),
    ],
    "fw-en-006": [
        (
            "en",
            "The government is paying £500 cost of living support to everyone who registers via this WhatsApp link.",
            "",
        ),
        (
            "en",
            "Just got the £500 cost-of-living payment by signing up on the WhatsApp link, register before it closes!",
            "",
        ),
    ],
    "fw-en-007": [
        (
            "en",
            "Your parcel is held at customs. Pay the £1.99 fee via the link to release it, this is from the postal service.",
            "",
        ),
        (
            "en",
            "Got a text from the post office saying my parcel is stuck at customs until I pay £1.99. Seems legit?",
            "",
        ),
    ],
    "fw-en-008": [
        (
            "en",
            "5G masts are killing birds by the hundreds. Look at them falling from the sky.",
            "",
        ),
        ("fr", "Les antennes 5G tuent des oiseaux par centaines.", ""),
    ],
    "fw-en-009": [
        (
            "en",
            "All schools in England closing for 2 weeks in January because of flu. Parents, plan ahead.",
            "",
        ),
    ],
    "fw-en-010": [
        (
            "en",
            "Terrifying footage of a giant wave crashing over a cruise ship in Ha Long Bay.",
            "",
        ),
        ("vi", "Video sóng thần khổng lồ đánh úp du thuyền trên vịnh Hạ Long, kinh hoàng quá!", ""),
        ("vi", "Song khong lo danh vao du thuyen o vinh Ha Long", "nodia"),
    ],
    "fw-en-011": [
        (
            "en",
            "Arctic sea ice is back to 1980 levels. Global warming is a hoax, plain and simple.",
            "",
        ),
        (
            "fr",
            "La banquise arctique est revenue à son niveau de 1980 : le réchauffement est une arnaque.",
            "",
        ),
    ],
    "fw-en-012": [
        ("en", "Stop microwaving your food, it kills all the nutrients.", ""),
        ("vi", "Hâm thức ăn bằng lò vi sóng làm mất hết chất dinh dưỡng.", ""),
    ],
    "fw-en-013": [
        (
            "en",
            "PSA: don't rinse raw chicken in the sink, it splashes bacteria all over the kitchen.",
            "",
        ),
    ],
    "fw-en-014": [
        (
            "en",
            "The airline is giving 2 free tickets to everyone who shares this anniversary post! Share and comment 'done'.",
            "",
        ),
        (
            "fr",
            "Une compagnie aérienne offre deux billets gratuits à tous ceux qui partagent sa publication d'anniversaire.",
            "",
        ),
    ],
    "fw-en-015": [
        ("en", "From 2027 the EU bans cash completely. Withdraw your savings while you can.", ""),
        ("fr", "L'Union européenne va interdire tout paiement en espèces à partir de 2027.", ""),
    ],
}

# Clickbait news titles: (title, text, lang, fc id or None)
CLICKBAIT: list[tuple[str, str, str, str | None]] = [
    (
        "Bạn sẽ không tin điều gì xảy ra khi uống nước chanh nóng mỗi sáng",
        "Chỉ sau vài tuần, khối u biến mất: nước chanh nóng chữa khỏi ung thư mà không cần hóa trị.",
        "vi",
        "fw-vi-001",
    ),
    (
        "Sốc: sự thật kinh hoàng về gạo bạn ăn mỗi ngày",
        "Gạo nhựa từ Trung Quốc đã tràn vào các chợ Việt Nam, đây là cách nhận biết.",
        "vi",
        "fw-vi-010",
    ),
    (
        "Vous ne devinerez jamais ce que contient le vaccin contre la grippe",
        "Des lanceurs d'alerte affirment que le vaccin antigrippal de cette saison cache une puce 5G.",
        "fr",
        "fw-fr-001",
    ),
    (
        "You won't believe what your microwave is doing to your dinner",
        "Microwaving food destroys all of its nutrients, experts are finally admitting it.",
        "en",
        "fw-en-012",
    ),
    (
        "Doctors hate this: the $5 bottle that cures COVID",
        "Miracle Mineral Solution cures COVID-19 and malaria, and it costs almost nothing.",
        "en",
        "fw-en-002",
    ),
    (
        "Bạn sẽ không tin chú chó này đã làm gì khi chủ đi vắng",
        "Camera trong nhà ghi lại cảnh chú chó tự mở tủ lạnh rồi nằm ngủ ngay trước cửa tủ.",
        "vi",
        None,
    ),
    (
        "Vous ne devinerez jamais quel fromage les Français préfèrent en 2026",
        "Un sondage auprès de 2 000 personnes réserve quelques surprises : le comté détrône le camembert.",
        "fr",
        None,
    ),
    (
        "Ce chat a fait quelque chose d'incroyable… la suite va vous surprendre",
        "Coincé sur un toit à Lyon depuis deux jours, le chat est finalement redescendu tout seul à l'heure du dîner.",
        "fr",
        None,
    ),
    (
        "You won't believe what this grandmother found in her attic",
        "A box of letters from the 1950s, still sealed, which she has now handed to the local museum.",
        "en",
        None,
    ),
    (
        "This one simple trick will change how you fold laundry forever",
        "A viral video shows how to fold a fitted sheet in under 30 seconds. We tried it, and it mostly works.",
        "en",
        None,
    ),
]

# Sober news titles (organic, no fact-checked claim): (title, text, lang)
SOBER: list[tuple[str, str, str]] = [
    (
        "Hà Nội: trời chuyển lạnh, nhiệt độ thấp nhất 16 độ C",
        "Không khí lạnh tràn về khiến nhiệt độ ở Hà Nội giảm 5-6 độ so với đầu tuần. Trời hanh khô, ít mưa.",
        "vi",
    ),
    (
        "Khai trương tuyến xe buýt điện mới nối Long Biên với Gia Lâm",
        "Tuyến buýt số 162 hoạt động từ 5h30 đến 22h, tần suất 15 phút một chuyến.",
        "vi",
    ),
    (
        "Đà Lạt vào mùa hoa dã quỳ, du khách đổ về đông",
        "Những con đường ven đồi ở Đà Lạt nhuộm vàng hoa dã quỳ, nhiều homestay kín phòng cuối tuần.",
        "vi",
    ),
    (
        "Đội tuyển bóng đá nữ Việt Nam thắng 2-0 trong trận giao hữu",
        "Hai bàn thắng được ghi trong hiệp hai, giúp đội nhà khép lại đợt tập trung tháng 11.",
        "vi",
    ),
    (
        "TP.HCM mở thêm ba công viên mini trong quận Bình Thạnh",
        "Các công viên có sân chơi cho trẻ em và khu tập thể dục ngoài trời, mở cửa miễn phí.",
        "vi",
    ),
    (
        "Giá cà phê xuất khẩu tăng nhẹ trong tháng 10",
        "Các doanh nghiệp Tây Nguyên cho biết đơn hàng từ châu Âu ổn định sau mùa thu hoạch.",
        "vi",
    ),
    (
        "Hội sách mùa thu diễn ra tại phố sách Đinh Lễ",
        "Hơn 40 nhà xuất bản tham gia, nhiều buổi giao lưu tác giả dành cho thiếu nhi.",
        "vi",
    ),
    (
        "Lyon : la Fête des Lumières dévoile son programme",
        "Une trentaine d'installations lumineuses sont prévues dans le centre-ville du 8 au 11 décembre.",
        "fr",
    ),
    (
        "Nantes : le nouveau pont piéton ouvrira au printemps",
        "Les travaux ont pris deux mois de retard à cause de la livraison des poutres métalliques.",
        "fr",
    ),
    (
        "Ligue 1 : Rennes s'impose face à Lens (2-1)",
        "Les Bretons ont renversé la rencontre en seconde période grâce à deux buts en cinq minutes.",
        "fr",
    ),
    (
        "Bordeaux : les vendanges 2026 jugées de bonne qualité",
        "Les viticulteurs évoquent des volumes en légère baisse mais des raisins bien mûrs.",
        "fr",
    ),
    (
        "Marseille : la bibliothèque de l'Alcazar rouvre ses salles rénovées",
        "Après un an de travaux, le public retrouve des espaces de lecture agrandis et un nouvel auditorium.",
        "fr",
    ),
    (
        "Toulouse : un marché de producteurs chaque samedi place Arnaud-Bernard",
        "Une vingtaine de maraîchers et d'artisans de la région seront présents de 8 h à 13 h.",
        "fr",
    ),
    (
        "City council approves new cycle lanes on the ring road",
        "The 4 km route will link the station with the university campus and is due to open next summer.",
        "en",
    ),
    (
        "Local library extends weekend opening hours",
        "From December the central library will stay open until 6 pm on Saturdays and Sundays.",
        "en",
    ),
    (
        "Rugby: home side edge a tense derby 18-15",
        "A late penalty settled a scrappy match played in heavy wind in front of a sold-out crowd.",
        "en",
    ),
    (
        "Farmers' market moves indoors for the winter",
        "Stalls will trade from the old corn exchange every Sunday until the end of February.",
        "en",
    ),
    (
        "New ferry timetable announced for the island route",
        "Crossings will run every 90 minutes in winter, with an extra late sailing on Fridays.",
        "en",
    ),
    (
        "University opens free evening courses in coding",
        "The twelve-week course is open to adults of any age and starts in January.",
        "en",
    ),
    (
        "Museum unveils restored 18th-century map collection",
        "Conservators spent two years cleaning and repairing the maps, which go on display next week.",
        "en",
    ),
]

# Posts linking to lookalike domains: (url, text, lang, fc id or None)
LOOKALIKES: list[tuple[str, str, str, str | None]] = [
    (
        "https://chinhphu-vn.com/nghi-dinh-moi/phat-5-trieu-khong-mang-can-cuoc",
        "Nghị định mới: đi xe máy không mang căn cước phạt 5 triệu đồng từ 1/12/2026. Xem toàn văn tại đây.",
        "vi",
        "fw-vi-006",
    ),
    (
        "https://chinhphu-vn.com/tin-tuc/tang-luong-co-so-2027",
        "Chính phủ chốt tăng lương cơ sở lên 4,5 triệu đồng cho công chức từ tháng 1/2027.",
        "vi",
        "fw-vi-007",
    ),
    (
        "https://vnexpress.net.vn/thoi-su/thuy-dien-hoa-binh-xa-lu-ha-noi-so-tan",
        "Thủy điện Hòa Bình xả lũ khẩn cấp, người dân Hà Nội được yêu cầu sơ tán ngay trong đêm.",
        "vi",
        "fw-vi-004",
    ),
    (
        "https://vnexpress.net.vn/giai-tri/bi-quyet-song-khoe",
        "Bí quyết sống khỏe của người cao tuổi ở làng trường thọ: đi bộ mỗi sáng và ngủ sớm.",
        "vi",
        None,
    ),
    (
        "https://who-int.org/news/new-pandemic-virus-confirmed",
        "WHO confirms a new pandemic virus; lockdowns expected worldwide from December.",
        "en",
        "fw-en-001",
    ),
    (
        "https://who-int.org/health-topics/vitamin-c-flu",
        "Official: high-dose vitamin C cures flu within 24 hours.",
        "en",
        "fw-en-005",
    ),
    (
        "https://www.lemonde-fr.info/societe/smic-hausse-300-euros-janvier-2027",
        "Le SMIC augmentera de 300 euros net dès le 1er janvier 2027, selon nos informations.",
        "fr",
        "fw-fr-005",
    ),
    (
        "https://www.lemonde-fr.info/planete/rechauffement-arrete-2015",
        "Climat : le réchauffement s'est arrêté depuis 2015, admettent des chercheurs.",
        "fr",
        "fw-fr-009",
    ),
    (
        "https://bbc-news.co/uk/schools-close-two-weeks-january-flu",
        "All schools in England to close for two weeks in January over flu outbreak.",
        "en",
        "fw-en-009",
    ),
    (
        "https://bbc-news.co/world/asia/da-nang-shark-flood",
        "Shark filmed swimming through flooded Da Nang street as typhoon hits.",
        "en",
        "fw-en-004",
    ),
]

# Accounts impersonating public bodies or media: (author, text, lang, fc id)
IMPERSONATIONS: list[tuple[str, str, str, str]] = [
    (
        "@WHO_official_news",
        "OFFICIAL: a new pandemic virus has been confirmed. Lockdowns will begin globally in December. Prepare now.",
        "en",
        "fw-en-001",
    ),
    (
        "@bo_y_te_vn",
        "Bộ Y tế khuyến cáo người dân xông lá sả, gừng hằng ngày để diệt virus cúm A trong phổi.",
        "vi",
        "fw-vi-003",
    ),
    (
        "@LeMonde_Actu24h",
        "ALERTE – Météo-France déclenche l'alerte rouge tempête sur toute la Bretagne : évacuation des côtes ordonnée.",
        "fr",
        "fw-fr-003",
    ),
]

# Copy-paste campaigns: 6 accounts each, within 50 seconds, small edits.
CAMPAIGN_A = (
    "vi",
    "fw-vi-006",
    "2026-11-12T01:14:05Z",
    [
        "⚠️ THÔNG BÁO: Từ 1/12/2026 đi xe máy không mang căn cước bị phạt 5 triệu đồng. Mọi người chia sẻ để tránh bị phạt oan! #canhbao #giaothong",
        "THÔNG BÁO: Từ 1/12/2026 đi xe máy không mang căn cước bị phạt 5 triệu đồng. Mọi người chia sẻ để tránh bị phạt oan! #canhbao",
        "⚠️⚠️ THÔNG BÁO: Từ 1/12/2026 đi xe máy không mang căn cước sẽ bị phạt 5 triệu đồng. Mọi người chia sẻ để tránh bị phạt oan!",
        "THÔNG BÁO: Từ 1/12/2026 đi xe máy không mang căn cước bị phạt 5 triệu đồng. Cả nhà chia sẻ để tránh bị phạt oan! #giaothong",
        "⚠️ THÔNG BÁO: Từ 1/12/2026 đi xe máy không mang căn cước bị phạt 5 triệu đồng. Mọi người share để tránh bị phạt oan!",
        "🚨 THÔNG BÁO: Từ 1/12/2026 đi xe máy không mang căn cước bị phạt 5 triệu đồng. Mọi người chia sẻ để tránh bị phạt oan! #canhbao #xemay",
    ],
)
CAMPAIGN_B = (
    "en",
    None,
    "2026-11-20T18:02:30Z",
    [
        "🚀 I turned $200 into $4,800 in one week with CoinHarvest Pro. No experience needed, the app does everything. DM me for the invite code! #crypto #passiveincome",
        "I turned $200 into $4,800 in one week with CoinHarvest Pro. No experience needed, the app does everything. DM me for the invite code! #crypto",
        "🚀🚀 I turned $250 into $4,800 in one week with CoinHarvest Pro. No experience needed, the app does everything. DM me for the invite code!",
        "I turned $200 into $4,800 in a week with CoinHarvest Pro. No experience needed, the app does it all. DM me for the invite code! #passiveincome",
        "💰 I turned $200 into $4,800 in one week with CoinHarvest Pro. Zero experience needed, the app does everything. DM me for the invite code! #crypto #money",
        "I turned $200 into $4,800 in one week with CoinHarvest Pro!! No experience needed, the app does everything. DM me for my invite code #crypto",
    ],
)

# --------------------------------------------------------------------------------------------
# Organic posts, one per sentence, grouped by theme.  None of these touch a fact-checked topic.
# --------------------------------------------------------------------------------------------

ORGANIC: dict[str, dict[str, list[str]]] = {
    "vi": {
        "weather": [
            "Sáng nay Hà Nội se lạnh, ra đường phải khoác thêm áo mỏng rồi.",
            "Trời Sài Gòn hôm nay nắng đẹp, chiều đi dạo bờ sông mát ghê.",
            "Mùa thu Hà Nội đẹp nhất là lúc hoa sữa nở khắp phố.",
            "Đà Lạt mấy hôm nay sương mù dày đặc, sáng 7 giờ vẫn chưa thấy nắng.",
            "Chiều nay trời nhiều mây, nhiệt độ dễ chịu, hợp đi cà phê vỉa hè.",
            "Cuối tuần trời hửng nắng, cả nhà tranh thủ phơi chăn màn.",
            "Gió mùa về, tối nay chắc phải lấy chăn bông ra đắp rồi.",
            "Buổi sáng ở Hội An trời trong xanh, phố cổ vắng người rất yên bình.",
        ],
        "food": [
            "Vừa ăn bát phở bò gánh đầu ngõ, nước dùng ngọt thanh, 45 nghìn một bát.",
            "Tối nay nhà mình nấu canh chua cá lóc, thêm đĩa rau muống xào nữa là đủ.",
            "Ai ở Đà Nẵng chỉ mình quán mì Quảng ngon với, tuần sau mình ra công tác.",
            "Bánh mì chảo quán này ăn sáng được lắm, pate tự làm, trứng ốp lòng đào.",
            "Mùa này cốm làng Vòng thơm quá, mua một lạng ăn dần.",
            "Lần đầu tự làm bánh flan mà thành công, mềm mịn không bị rỗ.",
            "Bún chả Hà Nội thì phải có chả viên nướng than hoa mới đúng vị.",
            "Cuối tuần làm nồi lẩu nấm mời bạn bè, ai cũng khen ngon.",
        ],
        "sport": [
            "Tối qua xem bóng đá ở quán cà phê, cả phố hò reo khi có bàn thắng.",
            "Sáng chủ nhật chạy 10 cây số quanh hồ Tây, đông người chạy bộ lắm.",
            "Đội bóng phường mình vừa vô địch giải phong trào, ăn mừng tới khuya.",
            "Mới đăng ký lớp cầu lông buổi tối, hy vọng giảm được vài cân.",
            "Giải bơi học sinh thành phố năm nay có hơn 300 em tham gia.",
            "Trận derby cuối tuần căng quá, hòa 1-1 nhưng đá rất hay.",
            "Mình bắt đầu tập yoga được một tháng, ngủ ngon hơn hẳn.",
        ],
        "life": [
            "Hôm nay con gái mình đi học buổi đầu tiên ở trường mới, mẹ còn hồi hộp hơn con.",
            "Kẹt xe trên đường Nguyễn Trãi gần một tiếng, về tới nhà mệt rã rời.",
            "Phường mình vừa sửa xong con đường vào chợ, đi lại sướng hẳn.",
            "Cuối tuần dọn lại ban công, trồng thêm mấy chậu hoa giấy.",
            "Cả nhà về quê ăn giỗ ông, gặp lại họ hàng đông vui.",
            "Mèo nhà mình hôm nay tự mở được cửa tủ, chắc phải mua khóa mất.",
            "Thư viện quận mới mở góc đọc sách cho thiếu nhi, cuối tuần đưa con ra chơi.",
            "Sắp Tết rồi mà việc ở công ty vẫn ngập đầu, ai cũng bận.",
        ],
        "more": [
            "Chiều nay ghé siêu thị mua ít trái cây, xoài cát Hòa Lộc đang rẻ.",
            "Quán cà phê trứng trên phố Hàng Gai vẫn đông như mọi khi, đợi 15 phút mới có chỗ.",
            "Cuối tuần này cả xóm tổ chức dọn vệ sinh ngõ, nhà nào cũng góp một người.",
            "Mới mua chiếc xe đạp cũ để đi làm, vừa tiết kiệm vừa rèn sức khỏe.",
            "Con trai mình vừa rụng chiếc răng sữa đầu tiên, cả nhà cười mãi.",
            "Tối nay có ai xem trận chung kết bóng chuyền nữ không, nghe nói hay lắm.",
            "Đi Ninh Bình hai ngày, Tràng An đẹp hơn mình tưởng nhiều.",
            "Đi tàu hỏa qua đèo Hải Vân, ngồi cạnh cửa sổ ngắm biển mà không muốn xuống tàu.",
            "Hôm nay sinh nhật mẹ, cả nhà góp tiền mua tặng mẹ chiếc máy may mới.",
            "Vườn nhà ông nội năm nay bưởi sai quả, hái mãi không hết.",
            "Sáng nào đi làm cũng ghé xe xôi đầu ngõ, cô bán hàng nhớ luôn mình ăn gì.",
            "Mình đang học tiếng Pháp buổi tối, phát âm khó mà vui.",
            "Chung cư mình vừa làm thêm chỗ để xe đạp, đỡ hẳn cảnh chen chúc.",
            "Vừa đọc xong cuốn tiểu thuyết mượn ở thư viện, kết truyện bất ngờ ghê.",
            "Cuối tuần đưa con đi sở thú, con thích nhất chuồng hươu cao cổ.",
            "Mình mới tập làm gốm ở một xưởng nhỏ ở Bát Tràng, tay nghề còn vụng lắm.",
            "Nhà hàng xóm mới nuôi chú chó con, cả ngõ ai đi qua cũng dừng lại nựng.",
            "Đêm nhạc acoustic ở phố đi bộ tối qua đông vui, mấy bạn trẻ hát hay thật.",
            "Hàng chè bưởi ở cổng trường cũ giờ vẫn còn, vị y như hồi bé.",
            "Chủ nhật này có giải chạy từ thiện quanh hồ Hoàn Kiếm, ai đăng ký chưa?",
            "Mấy hôm nay nhà mình tập thói quen không dùng điện thoại trong bữa tối, thấy nói chuyện với nhau nhiều hơn.",
            "Hàng bánh cuốn Thanh Trì trên phố mình vừa mở lại sau khi sửa quán.",
            "Lần đầu đưa bọn trẻ đi xem múa rối nước, tụi nhỏ thích mê.",
            "Nhà mình vừa làm được giàn mướp, sáng nào cũng hái được vài quả.",
        ],
    },
    "fr": {
        "weather": [
            "Grand soleil ce matin sur Montpellier, on se croirait encore en septembre.",
            "Premier brouillard de la saison à Strasbourg, on ne voyait pas le bout de la rue.",
            "Il fait un froid sec magnifique à Grenoble, les sommets sont déjà blancs.",
            "Journée grise à Lille, mais au moins il ne pleut pas.",
            "Les feuilles des platanes tombent sur le canal, c'est joli l'automne à Toulouse.",
            "Ciel bleu sur Annecy aujourd'hui, parfait pour faire le tour du lac à vélo.",
            "Ce week-end, douceur inhabituelle en Provence : 21 degrés l'après-midi.",
        ],
        "food": [
            "Première raclette de la saison ce soir, les enfants sont ravis.",
            "J'ai enfin réussi ma pâte feuilletée maison, ça valait la peine d'attendre.",
            "Le marché de la Croix-Rousse regorge de potirons en ce moment.",
            "Petite boulangerie découverte rue Oberkampf, leur pain au levain est excellent.",
            "Soupe de potimarron et châtaignes, le repas parfait quand il fait froid.",
            "Qui a une bonne adresse de crêperie à Rennes ? Je passe samedi.",
            "On a testé le nouveau restaurant vietnamien du quartier, le bún bò est délicieux.",
            "Tarte aux pommes du dimanche, recette de mamie, rien à changer.",
        ],
        "sport": [
            "Belle victoire du club de hand de la ville hier soir, ambiance de folie dans la salle.",
            "Semi-marathon bouclé en 1 h 52, objectif atteint !",
            "Mon fils a marqué son premier but en match de poussins ce matin.",
            "Reprise de la natation après six mois d'arrêt, les bras s'en souviennent.",
            "Quel match de rugby hier, le suspense jusqu'à la dernière minute.",
            "Sortie vélo de 60 km dans le Vexin avec le club, les jambes piquent.",
        ],
        "life": [
            "Travaux sur la ligne 4 ce week-end, prévoyez un peu plus de temps.",
            "La médiathèque du quartier organise un atelier de réparation de vélos samedi.",
            "Mon chat a décidé que le clavier était son nouveau lit.",
            "Vide-grenier dans la rue dimanche, j'ai trouvé une vieille platine vinyle à 10 euros.",
            "Premier jour dans le nouveau boulot, l'équipe a l'air sympa.",
            "Le parc municipal a planté une cinquantaine d'arbres fruitiers, bravo à la mairie.",
            "Déménagement terminé, il ne reste plus que quarante cartons à ouvrir.",
            "Réunion de copropriété interminable hier soir, on a parlé des poubelles pendant une heure.",
        ],
        "more": [
            "Concert de la chorale du quartier dimanche à l'église, entrée libre.",
            "Enfin fini ce puzzle de 2 000 pièces, il trône sur la table du salon.",
            "Balade en forêt de Fontainebleau, les couleurs d'automne sont sublimes.",
            "Mon voisin m'a donné trois kilos de coings, quelqu'un a une recette de pâte de fruits ?",
            "Le club de lecture se réunit jeudi, on lit un polar islandais.",
            "Premier cours de poterie ce soir, mon bol ressemble à un cendrier.",
            "Le cinéma du centre-ville repasse des classiques du cinéma muet tout le mois.",
            "Petit-déjeuner en terrasse au soleil, profitons-en tant que ça dure.",
            "Ma fille a eu son permis du premier coup, fierté totale.",
            "Le nouveau tram de Caen est plutôt agréable, silencieux et ponctuel.",
            "On cherche une baby-sitter pour les mercredis après-midi à Villeurbanne, des recommandations ?",
            "Apéro entre voisins dans la cour de l'immeuble, on devrait faire ça plus souvent.",
            "Visite du château de Chambord avec les enfants, ils ont adoré l'escalier à double révolution.",
            "Le potager a donné ses dernières courges, il est temps de le préparer pour l'hiver.",
            "J'ai repeint la cuisine en vert sauge, je ne regrette rien.",
            "Match de basket de ma nièce samedi, elles ont gagné de deux points à la dernière seconde.",
            "Randonnée dans les Vosges ce week-end, 18 km et une tarte aux myrtilles bien méritée.",
            "Quelqu'un connaît un bon garagiste à Angers ? Mon embrayage fait un bruit bizarre.",
            "Le marché artisanal s'installe bientôt sur la place, j'ai déjà hâte.",
            "Atelier compost au jardin partagé samedi matin, venez avec vos épluchures.",
            "Nouvelle lampe de bureau, nouvelle vie : je vois enfin mon clavier le soir.",
            "Soirée jeux de société chez des amis, j'ai perdu au Scrabble avec panache.",
            "La piscine municipale rouvre après les travaux, avec un bassin extérieur ouvert toute l'année.",
        ],
    },
    "en": {
        "weather": [
            "Crisp, bright morning in Leeds, perfect for a walk before work.",
            "First frost on the car windscreen today, winter is definitely on its way.",
            "Gorgeous sunset over the harbour this evening.",
            "Mild and dry all weekend, finally got the garden tidied up.",
            "Foggy start in Manchester, but it cleared up by lunchtime.",
            "Clear skies tonight, you could see every star from the hill.",
            "It's that time of year when you leave in the dark and come home in the dark.",
        ],
        "food": [
            "Made a big pot of pumpkin soup, enough to last the whole week.",
            "The new ramen place on the high street is worth the queue.",
            "Sourdough attempt number four finally has a proper crust.",
            "Sunday roast at the pub with the family, exactly what we needed.",
            "Tried making pho from scratch, the broth took six hours but it was worth it.",
            "Apple crumble with custard, the perfect autumn pudding.",
            "Anyone know a good bakery near the station? Need a birthday cake by Friday.",
            "Homemade dumplings night with the flatmates, half of them fell apart but still delicious.",
        ],
        "sport": [
            "What a comeback in the second half, two goals in five minutes!",
            "Finished my first 10K today, slow but I didn't stop once.",
            "Five-a-side league starts back next week, we need a keeper.",
            "Great atmosphere at the netball final, well played both teams.",
            "Cycled to work every day this week, legs are feeling it.",
            "The cricket club is looking for volunteers to help paint the pavilion.",
        ],
        "life": [
            "Road closed on Market Street again for resurfacing, take the bypass.",
            "The kids' school play was brilliant, my daughter was a very convincing tree.",
            "Our dog has learned to open the back door, we're in trouble now.",
            "Car boot sale this Sunday at the community centre, 8 till 12.",
            "Started a new job today, the commute is shorter and the coffee is better.",
            "Library book sale: got six novels for three pounds.",
            "Spent the whole Saturday assembling a wardrobe, the instructions were missing a page.",
            "Neighbours organised a litter pick in the park, twenty people turned up.",
        ],
        "more": [
            "Pub quiz night: we came second, lost it on the geography round.",
            "Finally repotted all my houseplants, the living room looks like a jungle.",
            "Our allotment gave us one last batch of leeks before winter.",
            "Took the kids to the science museum, they spent an hour at the magnet table.",
            "Choir rehearsal tonight, we're learning a piece in Welsh and it's tricky.",
            "Bought a second-hand sewing machine and already fixed three pairs of trousers.",
            "The canal path has been resurfaced, lovely for an evening stroll now.",
            "Has anyone tried the new climbing wall at the leisure centre?",
            "My daughter passed her grade 3 piano exam, so proud of her.",
            "Lovely walk along the coast path this morning, saw a seal in the bay.",
            "Open mic night at the café was packed, some seriously talented people around here.",
            "Local bookshop is hosting a poetry reading on Thursday, free entry.",
            "Spent the afternoon raking leaves, the neighbour's oak drops everything on our lawn.",
            "Our street's book swap box is overflowing again, come and grab something.",
            "Watched the Sunday league final from the touchline, freezing but worth it.",
            "Made a batch of chilli big enough to feed a small army.",
            "First driving lesson today, stalled twice but the instructor was very patient.",
            "The bus into town now runs every 12 minutes, a small miracle.",
            "The cat has claimed the new sofa, we're just guests in our own home.",
            "Volunteering at the community pantry on Saturday mornings, they always need more hands.",
            "Christmas lights switch-on in the square is next Friday, the kids can't wait.",
            "Tried a pottery class, my mug leans like the tower of Pisa.",
            "Just booked a weekend in the Lake District, fingers crossed for dry weather.",
        ],
    },
}

EMOJI = {
    "vi": ["", "", "", " 😊", " 🥰", " ❤️", " 😅"],
    "fr": ["", "", "", " 😊", " 🙂", " 👍", " 😅"],
    "en": ["", "", "", " 🙂", " 😄", " 👍", " 🙌"],
}

# --------------------------------------------------------------------------------------------
# Fictional handles
# --------------------------------------------------------------------------------------------

VI_GIVEN = [
    "hoa",
    "lan",
    "minh",
    "tuan",
    "thu",
    "huong",
    "nam",
    "linh",
    "quang",
    "mai",
    "duc",
    "trang",
    "khanh",
    "phuong",
    "bao",
    "ngoc",
    "long",
    "yen",
    "hieu",
    "thao",
]
VI_FAMILY = ["nguyen", "tran", "le", "pham", "hoang", "vu", "dang", "bui", "do", "ngo"]
FR_GIVEN = [
    "camille",
    "lucas",
    "manon",
    "hugo",
    "lea",
    "theo",
    "chloe",
    "louis",
    "ines",
    "jules",
    "sarah",
    "nathan",
    "zoe",
    "arthur",
    "clara",
]
FR_SUFFIX = ["b", "m", "d", "l", "r", "p", "v", "g"]
EN_WORDS = [
    "sam",
    "jo",
    "alex",
    "kit",
    "robin",
    "casey",
    "jamie",
    "morgan",
    "charlie",
    "taylor",
    "ellis",
    "riley",
    "drew",
    "frankie",
    "sky",
]
EN_HOBBY = [
    "walks_dogs",
    "bakes",
    "runs",
    "reads",
    "gardens",
    "cycles",
    "knits",
    "hikes",
    "cooks",
    "paints",
    "fishes",
    "climbs",
]


def make_handle(rng: random.Random, lang: str) -> str:
    if lang == "vi":
        return f"@{rng.choice(VI_GIVEN)}_{rng.choice(VI_FAMILY)}{rng.randint(80, 99)}"
    if lang == "fr":
        return f"@{rng.choice(FR_GIVEN)}_{rng.choice(FR_SUFFIX)}{rng.choice(['13', '31', '33', '35', '59', '69', '75', '92'])}"
    return f"@{rng.choice(EN_WORDS)}_{rng.choice(EN_HOBBY)}{rng.choice(['', '', '_uk', '22', '77', '_x'])}"


# --------------------------------------------------------------------------------------------


def strip_vi_diacritics(text: str) -> str:
    """Vietnamese as typed on a keyboard without an input method: no tone marks, đ -> d."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).replace("đ", "d").replace("Đ", "D")


def apply_form(text: str, form: str) -> str:
    if form == "nodia":
        return strip_vi_diacritics(text)
    if form == "nfd":
        return unicodedata.normalize("NFD", text)
    return text


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def random_time(rng: random.Random) -> datetime:
    start = datetime(2026, 10, 1, tzinfo=UTC)
    return start + timedelta(seconds=rng.randrange(61 * 24 * 3600))


def slug(rng: random.Random) -> str:
    return f"{rng.randrange(10**6, 10**7)}"


def build() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, str]]]:
    rng = random.Random(SEED)
    factchecks = [
        {
            "id": fid,
            "claim": claim,
            "title": title,
            "rating": rating,
            "url": FC_URL.format(fid),
            "lang": fid.split("-")[1],
            "claimant": claimant,
            "published_at": published,
        }
        for fid, claim, title, rating, claimant, published in FACTCHECKS
    ]
    fc_ids = {f["id"] for f in factchecks}
    fc_time = {
        f["id"]: datetime.fromisoformat(f["published_at"].replace("Z", "+00:00"))
        for f in factchecks
    }

    # draft posts: (record without id, fc id or None, kind)
    drafts: list[tuple[dict[str, Any], str | None, str]] = []
    used_handles: set[str] = set()

    def handle(lang: str) -> str:
        for _ in range(100):
            h = make_handle(rng, lang)
            if h not in used_handles:
                used_handles.add(h)
                return h
        raise RuntimeError("ran out of handles")

    def social_source() -> str:
        return rng.choice(["demo:facebook", "demo:facebook", "demo:telegram", "demo:x"])

    def post_time(fc_id: str | None) -> datetime:
        t = random_time(rng)
        if fc_id and fc_time[fc_id] > t:  # a claim keeps circulating after its fact-check
            t = fc_time[fc_id] + timedelta(hours=rng.randint(2, 240))
        return min(t, datetime(2026, 11, 30, 23, 0, tzinfo=UTC))

    for fc_id, variants in REPEATS.items():
        assert fc_id in fc_ids, fc_id
        for lang, text, form in variants:
            rec = {
                "text": apply_form(text, form),
                "author": handle(lang),
                "lang": lang,
                "source": social_source(),
                "published_at": iso(post_time(fc_id)),
            }
            drafts.append(
                (
                    rec,
                    fc_id,
                    "repeat-" + (form or ("cross" if lang != fc_id.split("-")[1] else "same")),
                )
            )

    for title, text, lang, fc_id in CLICKBAIT:
        site = {"vi": "tinnong24h", "fr": "buzz-actu", "en": "dailybuzz-now"}[lang]
        rec = {
            "title": title,
            "text": text,
            "url": f"https://{site}.example/{slug(rng)}",
            "author": "@" + site.replace("-", "_"),
            "lang": lang,
            "source": "demo:news",
            "published_at": iso(post_time(fc_id)),
        }
        drafts.append((rec, fc_id, "clickbait"))

    for title, text, lang in SOBER:
        site = {"vi": "baodiaphuong", "fr": "lecourrier-local", "en": "thecountygazette"}[lang]
        rec = {
            "title": title,
            "text": text,
            "url": f"https://{site}.example/{slug(rng)}",
            "author": "@" + site.replace("-", "_"),
            "lang": lang,
            "source": "demo:news",
            "published_at": iso(post_time(None)),
        }
        drafts.append((rec, None, "sober"))

    for url, text, lang, fc_id in LOOKALIKES:
        rec = {
            "text": text,
            "url": url,
            "author": handle(lang),
            "lang": lang,
            "source": social_source(),
            "published_at": iso(post_time(fc_id)),
        }
        drafts.append((rec, fc_id, "lookalike"))

    for author, text, lang, fc_id in IMPERSONATIONS:
        rec = {
            "text": text,
            "author": author,
            "lang": lang,
            "source": rng.choice(["demo:x", "demo:telegram"]),
            "published_at": iso(post_time(fc_id)),
        }
        drafts.append((rec, fc_id, "impersonation"))

    for lang, fc_id, start, texts in (CAMPAIGN_A, CAMPAIGN_B):
        t0 = datetime.fromisoformat(start.replace("Z", "+00:00"))
        # Drawn over 2 minutes, then packed into 50 s: all six copies fall in one 60 s window.
        offsets = [off * 50 // 120 for off in sorted(rng.sample(range(0, 120), len(texts)))]
        source = "demo:facebook" if lang == "vi" else "demo:x"
        for off, text in zip(offsets, texts, strict=True):
            rec = {
                "text": text,
                "author": handle(lang),
                "lang": lang,
                "source": source,
                "published_at": iso(t0 + timedelta(seconds=off)),
            }
            drafts.append((rec, fc_id, "campaign"))

    # organic posts fill up to 300: every sentence is used once (repeated sentences from
    # unrelated accounts would look like a copy-paste campaign)
    n_organic = 300 - len(drafts)
    pools = {lang: [t for theme in sorted(th) for t in th[theme]] for lang, th in ORGANIC.items()}
    per_lang = {"vi": len(pools["vi"]), "fr": len(pools["fr"])}
    per_lang["en"] = n_organic - per_lang["vi"] - per_lang["fr"]
    assert 0 < per_lang["en"] <= len(pools["en"]), per_lang
    for lang, count in per_lang.items():
        pool = pools[lang]
        assert len(set(pool)) == len(pool), f"duplicate organic sentence in {lang}"
        for text in rng.sample(pool, count):
            rec = {
                "text": text + rng.choice(EMOJI[lang]),
                "author": handle(lang),
                "lang": lang,
                "source": social_source(),
                "published_at": iso(post_time(None)),
            }
            drafts.append((rec, None, "organic"))

    drafts.sort(key=lambda d: (d[0]["published_at"], d[0]["text"]))
    posts: list[dict[str, Any]] = []
    expected: list[dict[str, str]] = []
    for n, (rec, fc_id, _kind) in enumerate(drafts, start=1):
        pid = f"p{n:04d}"
        ordered = {"id": pid}
        for key in ("text", "title", "url", "author", "published_at", "lang", "source"):
            if key in rec:
                ordered[key] = rec[key]
        posts.append(ordered)
        if fc_id:
            expected.append({"post_id": pid, "factcheck_id": fc_id})
    kinds: dict[str, int] = {}
    for _rec, _fc, kind in drafts:
        kinds[kind] = kinds.get(kind, 0) + 1
    print("posts by kind:", dict(sorted(kinds.items())), file=sys.stderr)
    return factchecks, posts, expected


RATINGS = {"False", "Mostly false", "Misleading", "Mixed", "Unproven", "Mostly true", "True"}
SOURCES = {"demo:facebook", "demo:telegram", "demo:x", "demo:news"}
POST_KEYS = {"id", "text", "title", "url", "author", "published_at", "lang", "source"}
FC_KEYS = {"id", "claim", "title", "rating", "url", "lang", "claimant", "published_at"}


def serialise(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def check(out: Path = OUT) -> list[str]:
    """Problems with the committed files: schema, unique ids, NFD posts, and drift from what
    this script generates (so an edit to the script without regenerating is caught)."""
    problems: list[str] = []
    generated = dict(
        zip(("factchecks.jsonl", "posts.jsonl", "expected.jsonl"), build(), strict=True)
    )
    loaded: dict[str, list[dict[str, Any]]] = {}
    for name, rows in generated.items():
        path = out / name
        if not path.exists():
            problems.append(f"{name}: missing")
            continue
        text = path.read_text(encoding="utf-8")
        try:
            loaded[name] = [json.loads(line) for line in text.splitlines()]
        except json.JSONDecodeError as exc:
            problems.append(f"{name}: not JSON Lines ({exc})")
            continue
        if text != serialise(rows):
            problems.append(
                f"{name}: differs from the generator output (run scripts/make_sample.py)"
            )
    fcs, posts, expected = (loaded.get(n, []) for n in generated)
    fc_ids = [f.get("id") for f in fcs]
    post_ids = [p.get("id") for p in posts]
    if len(set(fc_ids)) != len(fc_ids) or len(set(post_ids)) != len(post_ids):
        problems.append("duplicate ids")
    for f in fcs:
        if (
            set(f) != FC_KEYS
            or f["rating"] not in RATINGS
            or not f["published_at"].startswith("2026-")
        ):
            problems.append(f"bad fact-check {f.get('id')}")
    for p in posts:
        ok = {"id", "text", "author", "published_at", "lang", "source"} <= set(p) <= POST_KEYS
        if (
            not ok
            or p["source"] not in SOURCES
            or p["published_at"][:7] not in ("2026-10", "2026-11")
        ):
            problems.append(f"bad post {p.get('id')}")
    nfd = [p for p in posts if unicodedata.normalize("NFC", p["text"]) != p["text"]]
    if not nfd or not all(unicodedata.is_normalized("NFD", p["text"]) for p in nfd):
        problems.append("NFD posts missing or not fully NFD")
    for e in expected:
        if e.get("post_id") not in set(post_ids) or e.get("factcheck_id") not in set(fc_ids):
            problems.append(f"expected.jsonl: unknown id in {e}")
    return problems


def main() -> None:
    if sys.argv[1:] == ["--check"]:
        problems = check()
        for msg in problems:
            print(msg, file=sys.stderr)
        sys.exit(1 if problems else 0)
    factchecks, posts, expected = build()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("factchecks.jsonl", factchecks),
        ("posts.jsonl", posts),
        ("expected.jsonl", expected),
    ):
        (OUT / name).write_text(serialise(rows), encoding="utf-8", newline="\n")
    print(
        f"{len(factchecks)} fact-checks, {len(posts)} posts, {len(expected)} expected matches -> {OUT}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
