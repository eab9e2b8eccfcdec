"""Hand-labelled answers for the redaction tests, in the six UN languages.

Each case is an answer as a respondent might write it, with the personal data a careful reader
would remove, in order of appearance: (kind, text exactly as written). Kinds: "email", "phone",
"link" (a personal profile or handle link), "handle". An empty list means the answer holds no
personal data even though it has numbers, dates, document symbols or links of organisations.

The labels say what a person would mark, not what the redactor happens to find.
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    id: str
    lang: str
    text: str
    expected: tuple[tuple[str, str], ...]


def _numbered(lang: str, rows: list[tuple[str, list[tuple[str, str]]]]) -> list[Case]:
    return [
        Case(f"{lang}-{number:02d}", lang, text, tuple(items))
        for number, (text, items) in enumerate(rows, start=1)
    ]


ENGLISH = _numbered(
    "en",
    [
        (
            "Our organisation was raided twice in 2019. Please contact our coordinator at "
            "jane.doe@civicwatch.org or +1 (212) 963-1234 for details.",
            [("email", "jane.doe@civicwatch.org"), ("phone", "+1 (212) 963-1234")],
        ),
        (
            "Human Rights Council resolution 24/21 and A/HRC/RES/27/31 should be implemented in "
            "full; see https://www.ohchr.org/en/civic-space for the guidance.",
            [],
        ),
        (
            "Between 2015 and 2020, more than 1 000 000 people took part in protests; 75 % of "
            "them were young.",
            [],
        ),
        (
            "I am a journalist and I was detained on 13/01/2020. Write to me at samuel [at] "
            "protonmail [dot] com rather than my work address.",
            [("email", "samuel [at] protonmail [dot] com")],
        ),
        (
            "Follow our campaign @civic_space and @DefendDefenders on Twitter; see you @ the "
            "meeting in Geneva.",
            [("handle", "@civic_space"), ("handle", "@DefendDefenders")],
        ),
        (
            "My profiles: https://twitter.com/amina_k and https://www.facebook.com/amina.karimi.90 "
            "- both were hacked last year.",
            [
                ("link", "https://twitter.com/amina_k"),
                ("link", "https://www.facebook.com/amina.karimi.90"),
            ],
        ),
        (
            "Article 19 of the ICCPR protects expression; art. 21 protects assembly. The funding "
            "cut was USD 1,000,000 in 2019-2020.",
            [],
        ),
        (
            "Call the hotline +41 22 917 90 00 (Geneva) or our local office on 0041229179000.",
            [("phone", "+41 22 917 90 00"), ("phone", "0041229179000")],
        ),
        (
            "Security Council resolution 1325 (2000) and 2250 (2015) recognise the role of young "
            "women and men in peace and security.",
            [],
        ),
        (
            "Email: m.okafor at gmail.com, WhatsApp +234 803 123 4567.",
            [("email", "m.okafor at gmail.com"), ("phone", "+234 803 123 4567")],
        ),
        (
            "The report E/CN.6/2020/3 and the guidance at https://un.org were very useful.",
            [],
        ),
        (
            "Please reach me by e-mail: tom AT rightsnow DOT org",
            [("email", "tom AT rightsnow DOT org")],
        ),
        (
            "Our lawyers received threats on 13.01.2020 and 21.01.2020 after the hearing at 10.30.",
            [],
        ),
        (
            "LinkedIn: linkedin.com/in/sarah-mensah-4b2a1 (please do not publish)",
            [("link", "linkedin.com/in/sarah-mensah-4b2a1")],
        ),
        (
            "You can find our statement at "
            "https://www.amnesty.org/en/documents/act30/1234/2020/en/ and on our website "
            "civicus.org.",
            [],
        ),
        (
            "I was arrested at 6 am; my number then was 555-0199 and the police took my phone.",
            [("phone", "555-0199")],
        ),
        (
            "Contact: info@ngo-coalition.org.uk\nTel. 020 7946 0958\nThank you.",
            [("email", "info@ngo-coalition.org.uk"), ("phone", "020 7946 0958")],
        ),
        (
            "We need more than 12 months of funding; the 2021-2025 strategy covers 193 Member "
            "States.",
            [],
        ),
        ("Meet us @10am on Friday in room XVII.", []),
        (
            "Mastodon: https://mastodon.social/@freepress_ke, Telegram t.me/freepress_ke",
            [
                ("link", "https://mastodon.social/@freepress_ke"),
                ("link", "t.me/freepress_ke"),
            ],
        ),
        (
            "ISBN 978-92-1-154228-7 is the publication number; see also the OHCHR page "
            "www.ohchr.org/en/hrbodies/hrc.",
            [],
        ),
        (
            "Our director (mobile 07700 900123) was followed home.",
            [("phone", "07700 900123")],
        ),
        (
            "For the record: mailto:press@civicwatch.org is monitored daily.",
            [("email", "press@civicwatch.org")],
        ),
        (
            "Send the files to nadia(at)safehouse.org, not to the public list.",
            [("email", "nadia(at)safehouse.org")],
        ),
        ("Look at the report at ohchr.org before the session on 24 January 2020.", []),
        (
            "Thanks to @UN_HRC and @UNHumanRights for the livestream.",
            [("handle", "@UN_HRC"), ("handle", "@UNHumanRights")],
        ),
        (
            "Mobile: +44 7700 900123; office: +44 (0)20 7946 0958",
            [("phone", "+44 7700 900123"), ("phone", "+44 (0)20 7946 0958")],
        ),
        (
            "In 2020 we trained 2,345 activists in 45 countries; 1 in 3 faced reprisals "
            "(A/HRC/42/30, para. 12).",
            [],
        ),
        (
            "https://github.com/jdoe-dev hosts the encryption tools I wrote for our network.",
            [("link", "https://github.com/jdoe-dev")],
        ),
        (
            "Our office address is 1211 Geneva 10, Switzerland; open 9.00-17.00.",
            [],
        ),
        (
            "Archive: https://lists.example.org/archives/list/civic@lists.example.org/thread/AB12/"
            " and map https://www.google.com/maps/@46.2220,6.1400,15z",
            [],
        ),
        (
            "You can write to amina at ngo-kenya.org if you need the full testimony.",
            [("email", "amina at ngo-kenya.org")],
        ),
        (
            "Tel/Fax: +225 27 22 44 55 66 | P.O. Box 1234-00100 Nairobi",
            [("phone", "+225 27 22 44 55 66")],
        ),
        ("Registration number 123456789 was issued on 2020-01-13.", []),
        (
            "Write to JANE.DOE@NGO.ORG or jane+consult@ngo.org (filtered).",
            [("email", "JANE.DOE@NGO.ORG"), ("email", "jane+consult@ngo.org")],
        ),
        (
            "Our tweet is at https://twitter.com/UNHumanRights/status/1219123456789 and the "
            "hashtag page is twitter.com/hashtag/CivicSpace",
            [("link", "https://twitter.com/UNHumanRights/status/1219123456789")],
        ),
        (
            "Toll-free: 1-800-555-0199; text us on wa.me/41791234567",
            [("phone", "1-800-555-0199"), ("link", "wa.me/41791234567")],
        ),
        ("jane @ ngo.org is my private address", [("email", "jane @ ngo.org")]),
        (
            "Signatures: 14 000 in 2019; EUR 2 345 678,90 raised; the vote was 28-12-7.",
            [],
        ),
        (
            "See [our page](https://ohchr.org/en/press-releases/2020/01/13) or mail "
            "[Jane](mailto:Jane.Doe@NGO.org).",
            [("email", "Jane.Doe@NGO.org")],
        ),
        (
            "Videos: https://www.youtube.com/watch?v=dQw4w9WgXcQ and "
            "https://www.linkedin.com/company/ohchr/",
            [],
        ),
        (
            "Berlin office: 030/12345678 (ask for Lena).",
            [("phone", "030/12345678")],
        ),
        (
            "Between 100 000-150 000 people attend each year; the world has 7 800 000 000.",
            [],
        ),
        ("Follow x.com/amina_writes.", [("link", "x.com/amina_writes")]),
        (
            "Reach me on 0612345678 0698765432 anytime after 6 pm.",
            [("phone", "0612345678"), ("phone", "0698765432")],
        ),
        (
            "I work @home most days and tweet as @amina_k about the trials.",
            [("handle", "@amina_k")],
        ),
        ("Please write to the Special Rapporteur at ohchr.org with your evidence.", []),
        ("Our hotline is 1-800-273-8255; in an emergency call 911.", [("phone", "1-800-273-8255")]),
        ("Zoom meeting ID: 812 3456 7890, passcode 123456", []),
        ("My ORCID is 0000-0002-1825-0097 and the article is DOI 10.1093/hrlr/ngaa001.", []),
        ("Text HELP to 741741 or see ISO 27001 and 1.5 million (1,500,000) users.", []),
    ],
)

FRENCH = _numbered(
    "fr",
    [
        (
            "Notre association a été dissoute en 2019. Vous pouvez joindre la présidente au "
            "06 12 34 56 78 ou par courriel : josé.pérez@exemple.fr.",
            [("phone", "06 12 34 56 78"), ("email", "josé.pérez@exemple.fr")],
        ),
        (
            "La résolution 24/21 du Conseil des droits de l'homme et le document A/HRC/RES/27/31 "
            "doivent être appliqués.",
            [],
        ),
        (
            "Le budget est passé de 1 500 000 € à 750 000 € entre 2018 et 2020, soit une baisse "
            "de 50 %.",
            [],
        ),
        (
            "L'article 19 de la Constitution garantit la liberté d'expression ; voir aussi "
            "l'art. 21.",
            [],
        ),
        (
            "Écrivez-nous : marie arobase ligue-droits point fr",
            [("email", "marie arobase ligue-droits point fr")],
        ),
        (
            "Suivez-nous sur @LigueDH_Tunis et sur https://www.facebook.com/LigueDHTunis.",
            [("handle", "@LigueDH_Tunis"), ("link", "https://www.facebook.com/LigueDHTunis")],
        ),
        (
            "Mon numéro professionnel : +33 1 44 55 66 77. Mon numéro personnel ne doit pas être "
            "publié.",
            [("phone", "+33 1 44 55 66 77")],
        ),
        ("Les manifestations du 13.01.2020 et du 17/01/2020 ont été réprimées.", []),
        (
            "Contact : secretariat(at)fidh-afrique.org ou +221 77 123 45 67 (WhatsApp).",
            [("email", "secretariat(at)fidh-afrique.org"), ("phone", "+221 77 123 45 67")],
        ),
        (
            "Le rapport est disponible sur https://www.ohchr.org/fr/civic-space et sur "
            "https://un.org/fr.",
            [],
        ),
        ("Pour 2019-2020, 1 200 personnes ont été formées dans 14 régions.", []),
        (
            "Je suis défenseur des droits humains au Cameroun ; mon compte x.com/ndongo_paul a "
            "été suspendu.",
            [("link", "x.com/ndongo_paul")],
        ),
        (
            "N'hésitez pas à m'appeler au 01 23 45 67 89 ou à m'écrire sur "
            "jean.dupont@laposte.net.",
            [("phone", "01 23 45 67 89"), ("email", "jean.dupont@laposte.net")],
        ),
        ("Rendez-vous @ la mairie à 18 h.", []),
        (
            "Les ONG reçoivent 2 000 000 FCFA par an ; le décret n° 2020/123 du 13 janvier 2020 "
            "l'encadre.",
            [],
        ),
        (
            "Tél. : 04 72 00 00 00 – fax : 04 72 00 00 01",
            [("phone", "04 72 00 00 00"), ("phone", "04 72 00 00 01")],
        ),
        (
            "Mon profil LinkedIn (linkedin.com/in/aminata-diallo) montre mon parcours.",
            [("link", "linkedin.com/in/aminata-diallo")],
        ),
        ("La loi n° 2016-1524 du 14 novembre 2016 a été modifiée.", []),
        (
            "Notre site : www.association-ddh.org ; notre page Facebook : "
            "fb.com/association.ddh.kinshasa",
            [("link", "fb.com/association.ddh.kinshasa")],
        ),
        ("Courriel : contact＠ddh-rdc.org", [("email", "contact＠ddh-rdc.org")]),
        (
            "En 2020, 3,5 % du budget national, soit 12 milliards, est allé à la sécurité.",
            [],
        ),
        (
            "Appelez le +243 81 234 5678 ou écrivez à l'adresse : paul.mbuyi@yahoo.fr.",
            [("phone", "+243 81 234 5678"), ("email", "paul.mbuyi@yahoo.fr")],
        ),
        (
            "Tél./WhatsApp : 06.12.34.56.78 — disponible le 2020-01-13 de 10:00 à 12:00",
            [("phone", "06.12.34.56.78")],
        ),
        (
            "Écrire à contact@société-civile.fr ou tel:+41229179000",
            [("email", "contact@société-civile.fr"), ("phone", "+41229179000")],
        ),
        (
            "Contact : jean.dupont (at) gmail (dot) com ou jean.dupont[@]gmail.com",
            [
                ("email", "jean.dupont (at) gmail (dot) com"),
                ("email", "jean.dupont[@]gmail.com"),
            ],
        ),
        (
            "Mon Twitter : @Amina_Diallo. Mon Instagram : @defensoras.dakar",
            [("handle", "@Amina_Diallo"), ("handle", "@defensoras.dakar")],
        ),
        (
            "Tél. : +33 (0)6 12 34 56 78 ; numéro vert 0 800 123 456",
            [("phone", "+33 (0)6 12 34 56 78"), ("phone", "0 800 123 456")],
        ),
        ("Siège : 75007 Paris, 01 44 55 66 77", [("phone", "01 44 55 66 77")]),
        ("Tél : 01.44.55.66.77 (standard)", [("phone", "01.44.55.66.77")]),
        ("Association loi 1901, SIRET 123 456 789 00012, code postal 75007, CEDEX 07.", []),
        ("Pour les dons : IBAN FR76 3000 6000 0112 3456 7890 189", []),
    ],
)

SPANISH = _numbered(
    "es",
    [
        (
            "Soy defensora de derechos humanos en Honduras. Mi correo es "
            "lucia.hernandez@protonmail.com y mi teléfono +504 9876-5432.",
            [("email", "lucia.hernandez@protonmail.com"), ("phone", "+504 9876-5432")],
        ),
        (
            "La resolución 24/21 y la resolución A/HRC/RES/27/31 reconocen el espacio cívico.",
            [],
        ),
        (
            "Entre 2019-2020 se registraron 1.500.000 personas desplazadas, un 12 % más.",
            [],
        ),
        (
            "El artículo 19 y el art. 21 del Pacto deben respetarse; ver "
            "https://www.ohchr.org/es/civic-space.",
            [],
        ),
        (
            "Escríbannos a juan arroba colectivo-libre punto org",
            [("email", "juan arroba colectivo-libre punto org")],
        ),
        (
            "Nuestra cuenta @ColectivoLibreMX fue bloqueada el 13/01/2020.",
            [("handle", "@ColectivoLibreMX")],
        ),
        (
            "Llámenme al 55 1234 5678 (Ciudad de México) o al +52 55 1234 5678.",
            [("phone", "55 1234 5678"), ("phone", "+52 55 1234 5678")],
        ),
        (
            "Instagram: instagram.com/defensoras_bolivia — Facebook: "
            "facebook.com/defensorasbolivia",
            [
                ("link", "instagram.com/defensoras_bolivia"),
                ("link", "facebook.com/defensorasbolivia"),
            ],
        ),
        (
            "El presupuesto fue de USD 1,000,000 en 2020 y bajará a USD 750,000 en 2021.",
            [],
        ),
        (
            "La sesión será el 13.01.2020 a las 10.00 en la sala XX del Palais des Nations.",
            [],
        ),
        (
            "Contacto: maria.lopez@correo.com.ar / tel. (011) 4321-5678",
            [("email", "maria.lopez@correo.com.ar"), ("phone", "(011) 4321-5678")],
        ),
        ("Nos vemos @ la plaza a las 5.", []),
        (
            "Los datos de la encuesta (n = 2 345) muestran que 3 de cada 4 organizaciones "
            "sufrieron ataques.",
            [],
        ),
        (
            "Mi perfil de Twitter es https://x.com/carlos_ddhh y mi Telegram "
            "https://t.me/carlos_ddhh",
            [("link", "https://x.com/carlos_ddhh"), ("link", "https://t.me/carlos_ddhh")],
        ),
        (
            "Para denuncias: denuncias[at]redddhh[dot]org",
            [("email", "denuncias[at]redddhh[dot]org")],
        ),
        (
            "WhatsApp: +57 300 123 4567. Por favor no lo publiquen.",
            [("phone", "+57 300 123 4567")],
        ),
        (
            "La Ley 1712 de 2014 y el Decreto 1081 de 2015 regulan el acceso a la información.",
            [],
        ),
        (
            "Pueden ver el informe completo en "
            "https://www.cidh.org/informes/2020/espacio-civico.pdf",
            [],
        ),
        (
            "Mi número fijo es 2234-5678 y el celular 8765-4321 (Costa Rica).",
            [("phone", "2234-5678"), ("phone", "8765-4321")],
        ),
        (
            "Correo electrónico: ana.gómez@universidad.edu.co",
            [("email", "ana.gómez@universidad.edu.co")],
        ),
        (
            "El 75 % de las 1 200 organizaciones encuestadas en 2019 denunció acoso.",
            [],
        ),
        (
            "Búscanos en linkedin.com/company/ong-derechos y en @derechos_ya",
            [("handle", "@derechos_ya")],
        ),
        (
            "Mi celular: 312 456 7890, el de la oficina (601) 345 6789 ext. 12",
            [("phone", "312 456 7890"), ("phone", "(601) 345 6789")],
        ),
        ("El número de registro 20201234 fue otorgado en 2020.", []),
        (
            "Querid@s compañer@s: l@s defensor@s y tod@s l@s niñ@s merecen protección.",
            [],
        ),
        ("Mi móvil: 612 345 678", [("phone", "612 345 678")]),
        ("Escríbeme o llámame al 612 345 678 cuando puedas.", [("phone", "612 345 678")]),
        (
            "Seguimos a @ONU_es y a la Relatora; mi Tel. 91 123 45 67.",
            [("handle", "@ONU_es"), ("phone", "91 123 45 67")],
        ),
        ("Estoy en el 612 345 678 de lunes a viernes.", [("phone", "612 345 678")]),
        (
            "Cel: 300 123 4567 · Tel: (55) 5555-1234",
            [("phone", "300 123 4567"), ("phone", "(55) 5555-1234")],
        ),
        ("Mi RUT es 12.345.678-9 y el expediente 2020-001234.", []),
        ("DNI 12345678A; la denuncia se presentó el 13-01-2020.", []),
    ],
)

RUSSIAN = _numbered(
    "ru",
    [
        (
            "Нашу организацию признали «иностранным агентом» в 2019 году. Пишите мне: "
            "иван@почта.рф или ivan.petrov@mail.ru.",
            [("email", "иван@почта.рф"), ("email", "ivan.petrov@mail.ru")],
        ),
        (
            "Резолюция 24/21 Совета по правам человека и документ A/HRC/RES/27/31 важны для нас.",
            [],
        ),
        (
            "Штраф составил 1 000 000 рублей, то есть около 75 % нашего годового бюджета.",
            [],
        ),
        (
            "Статья 19 и ст. 21 Пакта должны соблюдаться; см. https://www.ohchr.org/ru/civic-space.",
            [],
        ),
        (
            "Мой телефон: +7 495 123-45-67, мобильный 8 (916) 123-45-67.",
            [("phone", "+7 495 123-45-67"), ("phone", "8 (916) 123-45-67")],
        ),
        (
            "Адрес для связи: имя собака домен точка ру",
            [("email", "имя собака домен точка ру")],
        ),
        (
            "Мы во ВКонтакте: vk.com/pravozashchita_msk и в Телеграме: t.me/pravozashchita",
            [("link", "vk.com/pravozashchita_msk"), ("link", "t.me/pravozashchita")],
        ),
        ("Задержания проходили 13.01.2020, а также в 2019-2020 годах.", []),
        (
            "Подписывайтесь на @memorial_news и @ovdinfo",
            [("handle", "@memorial_news"), ("handle", "@ovdinfo")],
        ),
        (
            "Звоните на горячую линию 8-800-555-35-35 (бесплатно).",
            [("phone", "8-800-555-35-35")],
        ),
        ("Постановление № 1234 от 13 января 2020 года было обжаловано.", []),
        (
            "Почта: olga AT svoboda DOT org, телефон в Бишкеке +996 555 123 456.",
            [("email", "olga AT svoboda DOT org"), ("phone", "+996 555 123 456")],
        ),
        ("Доклад E/CN.6/2020/3 и сайт https://un.org полезны.", []),
        (
            "Мой профиль: https://www.facebook.com/profile.php?id=100012345678901",
            [("link", "https://www.facebook.com/profile.php?id=100012345678901")],
        ),
        (
            "Число задержанных выросло с 1 200 до 12 500 человек за 2019–2020 годы.",
            [],
        ),
        (
            "Наш юрист Анна (anna.smirnova＠gmail.com, тел. 8 912 345 67 89) готова помочь.",
            [("email", "anna.smirnova＠gmail.com"), ("phone", "8 912 345 67 89")],
        ),
        ("Встреча @ офис в 18:00, приходите.", []),
        ("Федеральный закон № 121-ФЗ от 20.07.2012 изменил правила для НКО.", []),
        (
            "Сайт организации www.hrw.org/ru, наш канал на YouTube youtube.com/@pravo_tv",
            [("link", "youtube.com/@pravo_tv")],
        ),
        ("Напишите в WhatsApp: +998 90 123 45 67", [("phone", "+998 90 123 45 67")]),
        (
            "На счёт поступило 2 500 000 руб.; ИНН 7701234567 указан в отчёте.",
            [],
        ),
        (
            "Связаться: petrov(at)hrc.kz или +7 (727) 250-12-34",
            [("email", "petrov(at)hrc.kz"), ("phone", "+7 (727) 250-12-34")],
        ),
        (
            "Контакты:\nтел. +7 495 987-65-43\nemail: info@hrc-center.ru\n\nСпасибо.",
            [("phone", "+7 495 987-65-43"), ("email", "info@hrc-center.ru")],
        ),
        ("Телефон: +7(495)1234567 доб. 123", [("phone", "+7(495)1234567")]),
        ("Регистрационный номер 1027700123456 от 13-01-2020.", []),
        (
            "Пишите на «ivan@mail.ru» или на иван@пример.com, тел.: 8-916-123-45-67",
            [
                ("email", "ivan@mail.ru"),
                ("email", "иван@пример.com"),
                ("phone", "8-916-123-45-67"),
            ],
        ),
        ("В Алматы: +7 701 123 4567", [("phone", "+7 701 123 4567")]),
        ("Тираж 100 000-150 000 экземпляров, 13.01.2020г.", []),
        (
            "Мой e-mail: ivan точка petrov собака mail точка ru",
            [("email", "ivan точка petrov собака mail точка ru")],
        ),
        ("Тел./факс: (495) 123-45-67", [("phone", "(495) 123-45-67")]),
        ("ИНН 7701234567, КПП 770101001, ОГРН 1027700123456.", []),
        ("Свидетельство № 0012345678 от 01.02.2019 выдано Минюстом.", []),
        (
            "Email: ivan_petrov@yandex.ru, Telegram: @ivan_petrov, ВК: vk.com/id123456",
            [
                ("email", "ivan_petrov@yandex.ru"),
                ("handle", "@ivan_petrov"),
                ("link", "vk.com/id123456"),
            ],
        ),
    ],
)

ARABIC = _numbered(
    "ar",
    [
        (
            "تعرضت منظمتنا للمداهمة في عام 2019. للتواصل: علي@مثال.مصر أو ali.hassan@gmail.com",
            [("email", "علي@مثال.مصر"), ("email", "ali.hassan@gmail.com")],
        ),
        ("القرار 24/21 والقرار A/HRC/RES/27/31 يؤكدان على حماية الفضاء المدني.", []),
        ("بلغت الغرامة 1 000 000 جنيه، أي 75 % من ميزانيتنا.", []),
        ("المادة 19 من العهد الدولي والمادة 21 تحميان حرية التعبير والتجمع.", []),
        (
            "رقم هاتفي: +٢٠ ١٠ ١٢٣٤ ٥٦٧٨ ويمكنكم الاتصال بي مساءً.",
            [("phone", "+٢٠ ١٠ ١٢٣٤ ٥٦٧٨")],
        ),
        ("هاتف المكتب ٠١٢٣٤٥٦٧٨٩ — لا تنشروه من فضلكم.", [("phone", "٠١٢٣٤٥٦٧٨٩")]),
        (
            "تابعونا على @HumanRightsEG وعلى فيسبوك facebook.com/hr.egypt.org",
            [("handle", "@HumanRightsEG"), ("link", "facebook.com/hr.egypt.org")],
        ),
        ("تم اعتقال زملائنا في 13/01/2020 وفي 2019-2020 تصاعدت الانتهاكات.", []),
        (
            "للتواصل عبر البريد: sara.k@protonmail.com",
            [("email", "sara.k@protonmail.com")],
        ),
        ("الموقع الرسمي https://www.ohchr.org/ar/civic-space ومنصة https://un.org", []),
        (
            "اتصلوا بنا على +20 2 2794 5000 أو عبر واتساب +966 50 123 4567",
            [("phone", "+20 2 2794 5000"), ("phone", "+966 50 123 4567")],
        ),
        (
            "حسابي على تويتر https://twitter.com/layla_defends تم تعليقه.",
            [("link", "https://twitter.com/layla_defends")],
        ),
        ("التقرير E/CN.6/2020/3 صدر في ١٣/٠١/٢٠٢٠.", []),
        ("قناتنا على تلغرام t.me/syria_rights_now", [("link", "t.me/syria_rights_now")]),
        (
            "البريد: karim [at] defenders [dot] org",
            [("email", "karim [at] defenders [dot] org")],
        ),
        ("بلغ عدد المشاركين ١٢٠٠ شخص في ٢٠١٩-٢٠٢٠.", []),
        (
            "هاتفي المحمول \u200e+971 50 123 4567\u200e (الإمارات)",
            [("phone", "+971 50 123 4567")],
        ),
        ("المرسوم رقم 84 لسنة 2002 ينظم عمل الجمعيات.", []),
        (
            "راسلوني على layla@example.org.lb أو على إنستغرام instagram.com/layla.rights",
            [("email", "layla@example.org.lb"), ("link", "instagram.com/layla.rights")],
        ),
        ("الميزانية 2,500,000 دولار أمريكي لعام 2021.", []),
        ("نلتقي @ المقر الساعة 10:00", []),
        (
            "للاستفسار: info@anhri.net | هاتف: 02-23964058",
            [("email", "info@anhri.net"), ("phone", "02-23964058")],
        ),
        (
            "راسلني على\u200f sara@ngo.ps\u200f أو على @sara_ps",
            [("email", "sara@ngo.ps"), ("handle", "@sara_ps")],
        ),
        ("رقم القضية 2020/1234 بتاريخ 2020-01-13", []),
        (
            "جوالي 00966501234567 ورقم المكتب ٠١٠-١٢٣٤-٥٦٧٨،",
            [("phone", "00966501234567"), ("phone", "٠١٠-١٢٣٤-٥٦٧٨")],
        ),
        ("عدد سكان العالم 7 800 000 000 نسمة.", []),
        ("رقم الهاتف: 0100 123 4567", [("phone", "0100 123 4567")]),
        ("للتواصل واتساب: ٠١٠٠١٢٣٤٥٦٧", [("phone", "٠١٠٠١٢٣٤٥٦٧")]),
        ("البريد الإلكتروني: \u200fahmed.m@gmail.com\u200f", [("email", "ahmed.m@gmail.com")]),
        ("هاتفي 20 10 1234 5678+ (مصر)", [("phone", "20 10 1234 5678+")]),
        ("القانون رقم 149 لسنة 2019، صندوق بريد 1234 الرمز البريدي 11511", []),
    ],
)

CHINESE = _numbered(
    "zh",
    [
        (
            "我们的机构在2019年被关闭。请联系zhang.wei@ngo.org或致电13800138000获取更多信息。",
            [("email", "zhang.wei@ngo.org"), ("phone", "13800138000")],
        ),
        ("人权理事会第24/21号决议和A/HRC/RES/27/31号决议对公民空间至关重要。", []),
        ("罚款金额为1 000 000元，占我们年度预算的75%。", []),
        ("《公民权利和政治权利国际公约》第19条和第21条保护言论与集会自由。", []),
        ("联系邮箱：用户@例子.中国", [("email", "用户@例子.中国")]),
        (
            "办公电话：+86 10 6532 3366，传真：+86 10 6532 3367。",
            [("phone", "+86 10 6532 3366"), ("phone", "+86 10 6532 3367")],
        ),
        (
            "请关注我们的微博@公民空间观察 和推特@civic_space获取最新消息。",
            [("handle", "@公民空间观察"), ("handle", "@civic_space")],
        ),
        ("会议于2020年1月13日至24日在日内瓦举行，共有193个会员国参加。", []),
        (
            "我的手机号是１３８ ００１３ ８０００，请勿公开。",
            [("phone", "１３８ ００１３ ８０００")],
        ),
        ("详见https://www.ohchr.org/zh/civic-space和https://un.org。", []),
        (
            "我的微博主页：weibo.com/u/1234567890，已被封号。",
            [("link", "weibo.com/u/1234567890")],
        ),
        ("邮件请发至li.na＠qq.com，谢谢。", [("email", "li.na＠qq.com")]),
        ("2019-2020年度共资助了1 200个项目。", []),
        (
            "我们的GitHub：github.com/open-rights-cn，推特：x.com/wang_rights",
            [("link", "github.com/open-rights-cn"), ("link", "x.com/wang_rights")],
        ),
        (
            "联系人：王先生，电话010-6532 3366，邮箱wang@hrw-cn.org。",
            [("phone", "010-6532 3366"), ("email", "wang@hrw-cn.org")],
        ),
        ("文件编号E/CN.6/2020/3，发布于2020年3月。", []),
        ("香港办事处电话：+852 2123 4567", [("phone", "+852 2123 4567")]),
        ("举报邮箱：jubao@例子.公司", [("email", "jubao@例子.公司")]),
        ("截至2020年1月24日，共收到12,345份答复。", []),
        (
            "我们的Telegram频道：https://t.me/cn_rights_watch",
            [("link", "https://t.me/cn_rights_watch")],
        ),
        ("人均预算增加了3.5%，总额达到2.5亿元。", []),
        (
            "如需采访，请发邮件至 chen dot jie at gmail dot com 或打电话 139 1234 5678。",
            [("email", "chen dot jie at gmail dot com"), ("phone", "139 1234 5678")],
        ),
        (
            "请访问我们的网站www.chinadevelopmentbrief.org.cn了解详情。",
            [],
        ),
        (
            "请加我微信或致电138-0013-8000，推特@wang_rights：欢迎关注。",
            [("phone", "138-0013-8000"), ("handle", "@wang_rights")],
        ),
        ("@人民日报：请关注此案", [("handle", "@人民日报")]),
        ("统一社会信用代码91110000123456789X", []),
        (
            "北京办公室电话：(010) 6532-3366，或0086 10 6532 3366，手机(+86) 138 0013 8000。",
            [
                ("phone", "(010) 6532-3366"),
                ("phone", "0086 10 6532 3366"),
                ("phone", "(+86) 138 0013 8000"),
            ],
        ),
        ("发送至wang@ngo.org。谢谢！", [("email", "wang@ngo.org")]),
        ("如有问题请联系用户@例子.中国。", [("email", "用户@例子.中国")]),
        ("邮箱：zhangwei#163.com（#换成@）", [("email", "zhangwei#163.com")]),
        ("联系电话：021-64331234转8001", [("phone", "021-64331234")]),
        (
            "邮箱：zhang_san@163.com；电话：+86-21-6433-1234",
            [("email", "zhang_san@163.com"), ("phone", "+86-21-6433-1234")],
        ),
        ("电话：（010）65323366", [("phone", "（010）65323366")]),
        ("客服热线400-810-8888，2020年第19号文件。", [("phone", "400-810-8888")]),
        ("身份证号110101199003071234已被警方记录。", []),
    ],
)

CASES: list[Case] = ENGLISH + FRENCH + SPANISH + RUSSIAN + ARABIC + CHINESE
