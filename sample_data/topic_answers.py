"""Labelled answers for measuring emergent topics: each written from one or two known sub-topics.

The sample consultation's answers (`generate.py`) are drawn from a few stock sentences per
theme; they cannot say whether topic finding recovers what people wrote about. This generator
writes answers in the six UN languages from twelve sub-topics, with phrases written for each
language on its own (the same subject, said the way that language's respondents would put it,
not translated word for word), so that a benchmark can compare the topics found with the
sub-topics each answer was written from (`benchmarks/topics.py`).

Each answer has a primary sub-topic, one to three of its phrases, and in a third of the answers
one phrase of a second sub-topic; a topic-free sentence ("Thank you for this consultation") is
added to some. The output depends only on the seed. The sample's exports are not changed: this
is a separate set, written on demand (`python sample_data/topic_answers.py N`).

Eleven sub-topics are subjects the sample codebook has codes for (its keywords in six languages
are the anchors across languages); the twelfth, land and environmental defenders, has none.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
SEED = 20200113

# sub-topic → language → phrases. Written per language, not translated phrase by phrase.
PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "reprisals": {
        "en": (
            "After speaking at the session our director was detained and questioned for hours.",
            "People who cooperate with the UN face reprisals when they return home.",
            "Colleagues fear retaliation from the authorities if their names appear in reports.",
            "Intimidation of activists who travel to testify must be investigated.",
        ),
        "fr": (
            "Des militants ont subi des représailles après leur témoignage devant le Conseil.",
            "La peur des représailles empêche beaucoup d'associations de coopérer avec l'ONU.",
            "Notre coordinatrice a été convoquée par la police dès son retour de Genève.",
            "Les actes d'intimidation contre ceux qui coopèrent doivent être dénoncés.",
        ),
        "es": (
            "Tras denunciar ante la ONU, varios compañeros sufrieron represalias del gobierno.",
            "Las represalias contra quienes colaboran con Naciones Unidas quedan impunes.",
            "Al volver del periodo de sesiones, la policía interrogó a nuestra directora.",
            "Existe un clima de intimidación que disuade a las organizaciones de participar.",
        ),
        "ar": (
            "تعرض زملاؤنا لأعمال انتقامية بعد مشاركتهم في دورة المجلس.",
            "الخوف من الانتقام يمنع كثيرا من الناشطين من التعاون مع الأمم المتحدة.",
            "استدعت الشرطة مديرة الجمعية للتحقيق فور عودتها من جنيف.",
            "يجب التحقيق في كل حالات الترهيب ضد من يتعاونون مع الآليات الدولية.",
        ),
        "zh": (
            "有些活动人士在与联合国合作后遭到报复。",
            "很多组织担心向联合国提供信息会受到当局报复。",
            "我们的负责人回国后被警方传唤问话。",
            "对参与国际机制的人员进行恐吓的行为应当受到调查。",
        ),
        "ru": (
            "После выступления в Совете нашего коллегу задержали и несколько часов допрашивали.",
            "Репрессии против тех, кто сотрудничает с ООН, остаются безнаказанными.",
            "Страх преследования мешает организациям сообщать о нарушениях.",
            "Запугивание активистов после поездок в Женеву стало обычной практикой.",
        ),
    },
    "threats": {
        "en": (
            "Human rights defenders receive death threats and need protection mechanisms.",
            "Several defenders in rural areas were attacked and nobody was prosecuted.",
            "Emergency protection, such as temporary relocation, saves lives.",
            "Threats against defenders should be condemned quickly by UN officials.",
        ),
        "fr": (
            "Les défenseurs des droits reçoivent des menaces de mort sans aucune protection.",
            "Il faut des mécanismes de protection d'urgence pour les militants en danger.",
            "Plusieurs défenseurs ont été agressés dans les zones rurales en toute impunité.",
            "Une relocalisation temporaire peut sauver la vie des personnes menacées.",
        ),
        "es": (
            "Las personas defensoras reciben amenazas de muerte constantemente.",
            "Hacen falta mecanismos de protección eficaces y rápidos para quienes están en riesgo.",
            "Varios líderes comunitarios fueron asesinados sin que hubiera justicia.",
            "La reubicación temporal de defensores amenazados debería ser más fácil.",
        ),
        "ar": (
            "يتلقى المدافعون عن حقوق الإنسان تهديدات بالقتل دون أي حماية.",
            "نحتاج إلى آليات حماية عاجلة للناشطين المعرضين للخطر.",
            "تعرض عدد من المدافعين للاعتداء في المناطق الريفية دون محاسبة.",
            "ينبغي إدانة التهديدات الموجهة إلى المدافعين بسرعة وعلنا.",
        ),
        "zh": (
            "人权维护者经常收到死亡威胁，却得不到保护。",
            "需要为处于危险中的维护者建立紧急保护机制。",
            "农村地区的维护者遭到袭击，但无人被追究责任。",
            "临时转移安置可以挽救受威胁者的生命。",
        ),
        "ru": (
            "Правозащитники получают угрозы расправы и остаются без защиты.",
            "Нужны механизмы экстренной защиты для активистов, которым угрожает опасность.",
            "Нападения на правозащитников в регионах не расследуются.",
            "Временное переселение тех, кому угрожают, может спасти жизнь.",
        ),
    },
    "funding": {
        "en": (
            "Small organisations cannot get funding because grant rules are too complex.",
            "Core funding for grassroots groups would make a real difference.",
            "Donors should offer flexible grants and cover running costs.",
            "Without resources, local NGOs close their offices within a year.",
        ),
        "fr": (
            "Les petites associations n'ont pas accès au financement des bailleurs.",
            "Un financement de base, souple et pluriannuel, nous permettrait de durer.",
            "Les procédures pour obtenir une subvention sont trop lourdes.",
            "Sans ressources stables, les organisations locales disparaissent vite.",
        ),
        "es": (
            "Las organizaciones pequeñas no consiguen financiación internacional.",
            "Los fondos de los donantes deberían ser flexibles y plurianuales.",
            "Los requisitos para solicitar una subvención son demasiado complicados.",
            "Sin recursos propios muchas organizaciones de base cierran.",
        ),
        "ar": (
            "لا تحصل المنظمات الصغيرة على التمويل بسبب تعقيد الإجراءات.",
            "نحتاج إلى تمويل أساسي مرن ومتعدد السنوات.",
            "يجب أن تغطي المنح التكاليف التشغيلية للجمعيات المحلية.",
            "بدون موارد مستقرة تغلق المنظمات المحلية أبوابها.",
        ),
        "zh": (
            "小型组织很难获得资金，申请程序太复杂。",
            "捐助方应提供灵活的多年期核心资助。",
            "基层团体缺乏资源，难以维持日常运作。",
            "没有稳定的资金来源，地方组织很快就会关闭。",
        ),
        "ru": (
            "Небольшим организациям почти невозможно получить финансирование.",
            "Доноры должны давать гибкие гранты, покрывающие текущие расходы.",
            "Процедура подачи заявки на грант слишком сложна для местных НКО.",
            "Без стабильных ресурсов региональные организации закрываются.",
        ),
    },
    "digital": {
        "en": (
            "Activists face online harassment and smear campaigns on social media.",
            "Training in digital security and encrypted messaging is urgently needed.",
            "Our phones were hacked and our accounts were suspended after the session.",
            "Government surveillance of online communications silences critics.",
        ),
        "fr": (
            "Les militantes subissent du harcèlement en ligne et des campagnes de dénigrement.",
            "Une formation à la sécurité numérique et au chiffrement serait très utile.",
            "Nos comptes ont été piratés et nos téléphones mis sur écoute.",
            "La surveillance des réseaux sociaux pousse les défenseurs à l'autocensure.",
        ),
        "es": (
            "Sufrimos acoso en línea y campañas de desprestigio en las redes sociales.",
            "Necesitamos capacitación en seguridad digital y herramientas cifradas.",
            "Hackearon nuestras cuentas y bloquearon la página de la organización.",
            "La vigilancia de las comunicaciones por internet nos obliga a callar.",
        ),
        "ar": (
            "يتعرض الناشطون للتحرش عبر الإنترنت وحملات التشهير.",
            "نحتاج إلى تدريب على الأمن الرقمي والتطبيقات المشفرة.",
            "تم اختراق حساباتنا وهواتفنا بعد الدورة.",
            "المراقبة الحكومية لوسائل التواصل الاجتماعي تدفع الناشطين إلى الصمت.",
        ),
        "zh": (
            "活动人士在社交媒体上遭受网络骚扰和抹黑。",
            "迫切需要数字安全和加密通讯方面的培训。",
            "我们的账号被盗，手机也被入侵。",
            "政府对网络通讯的监控让批评者不敢发声。",
        ),
        "ru": (
            "Активисты сталкиваются с травлей в социальных сетях.",
            "Необходимо обучение цифровой безопасности и шифрованию переписки.",
            "Наши аккаунты взломали, а телефоны прослушивали.",
            "Слежка за перепиской в интернете заставляет людей молчать.",
        ),
    },
    "laws": {
        "en": (
            "The new NGO law forces groups receiving foreign money to register as foreign agents.",
            "Registration of associations is refused for political reasons.",
            "Restrictive laws on assembly make peaceful protest a crime.",
            "Counter-terrorism legislation is used to freeze the accounts of charities.",
        ),
        "fr": (
            "La nouvelle loi oblige les ONG financées de l'étranger à s'enregistrer comme agents.",
            "L'enregistrement des associations est refusé sans motif.",
            "Des lois restrictives sur les rassemblements criminalisent les manifestations.",
            "La législation antiterroriste sert à bloquer les comptes des associations.",
        ),
        "es": (
            "La ley de agentes extranjeros estigmatiza a las ONG con financiación externa.",
            "El registro de nuevas asociaciones se niega por motivos políticos.",
            "Las leyes restrictivas sobre protesta convierten la manifestación en delito.",
            "La normativa antiterrorista se usa para congelar cuentas de organizaciones.",
        ),
        "ar": (
            "يفرض القانون الجديد على الجمعيات التسجيل كعملاء أجانب إذا تلقت تمويلا من الخارج.",
            "ترفض السلطات تسجيل الجمعيات لأسباب سياسية.",
            "القوانين التقييدية للتجمع السلمي تجرم الاحتجاج.",
            "تستخدم تشريعات مكافحة الإرهاب لتجميد حسابات المنظمات الخيرية.",
        ),
        "zh": (
            "新的法律要求接受境外资金的组织登记为外国代理人。",
            "社团登记因政治原因被拒绝。",
            "限制集会的法律把和平抗议变成了犯罪。",
            "反恐立法被用来冻结慈善机构的账户。",
        ),
        "ru": (
            "Закон об иностранных агентах клеймит организации с зарубежным финансированием.",
            "В регистрации новых объединений отказывают по политическим мотивам.",
            "Ограничительные законы о митингах превращают протест в преступление.",
            "Антиэкстремистское законодательство используется против НКО.",
        ),
    },
    "un_meetings": {
        "en": (
            "Remote participation in Human Rights Council sessions should be allowed.",
            "Travelling to Geneva or New York is too expensive for most of us.",
            "Civil society should have a regular, structured meeting with each treaty body.",
            "The UPR process needs more space for national organisations to speak.",
        ),
        "fr": (
            "La participation à distance aux sessions du Conseil devrait être possible.",
            "Se rendre à Genève coûte trop cher aux petites organisations.",
            "Des réunions régulières avec les organes conventionnels seraient précieuses.",
            "L'EPU devrait laisser plus de temps de parole aux ONG nationales.",
        ),
        "es": (
            "Deberían permitir la participación a distancia en el Consejo de Derechos Humanos.",
            "Viajar a Ginebra o a Nueva York es imposible para organizaciones pequeñas.",
            "Proponemos reuniones periódicas entre la sociedad civil y los órganos de tratados.",
            "El examen periódico universal debe abrir más espacio a las voces nacionales.",
        ),
        "ar": (
            "يجب السماح بالمشاركة عن بعد في دورات مجلس حقوق الإنسان.",
            "السفر إلى جنيف أو نيويورك مكلف جدا لمعظم الجمعيات.",
            "نقترح اجتماعات منتظمة بين المجتمع المدني وهيئات المعاهدات.",
            "ينبغي أن يتيح الاستعراض الدوري الشامل وقتا أطول للمنظمات الوطنية.",
        ),
        "zh": (
            "应允许远程参与人权理事会的会议。",
            "前往日内瓦或纽约的费用对大多数组织来说太高。",
            "民间社会与条约机构之间应定期举行会议。",
            "普遍定期审议应给国家层面的组织更多发言机会。",
        ),
        "ru": (
            "Нужно разрешить дистанционное участие в сессиях Совета по правам человека.",
            "Поездка в Женеву или Нью-Йорк слишком дорога для большинства НКО.",
            "Предлагаем регулярные и организованные встречи с договорными органами.",
            "В рамках УПО национальным организациям нужно давать больше слова.",
        ),
    },
    "information": {
        "en": (
            "Documents should be published in an open format well before meetings.",
            "Access to information about decisions is still very limited.",
            "Transparency requires open data on who attends and what is decided.",
            "Draft resolutions should be shared with civil society in advance.",
        ),
        "fr": (
            "Les documents devraient être publiés dans un format ouvert bien avant les réunions.",
            "L'accès à l'information sur les décisions reste très limité.",
            "La transparence exige des données ouvertes sur les participants et les décisions.",
            "Les projets de résolution devraient être communiqués à l'avance aux associations.",
        ),
        "es": (
            "Los documentos deberían publicarse en formato abierto con antelación.",
            "El acceso a la información sobre las decisiones sigue siendo escaso.",
            "La transparencia exige datos abiertos sobre quién participa y qué se decide.",
            "Los borradores de resolución deberían compartirse antes con la sociedad civil.",
        ),
        "ar": (
            "يجب نشر الوثائق بصيغة مفتوحة قبل الاجتماعات بوقت كاف.",
            "الوصول إلى المعلومات بشأن القرارات ما زال محدودا جدا.",
            "تتطلب الشفافية نشر البيانات حول المشاركين والقرارات.",
            "ينبغي مشاركة مشاريع القرارات مع المجتمع المدني مسبقا.",
        ),
        "zh": (
            "会议文件应提前以开放格式公布。",
            "有关决定的信息公开仍然非常有限。",
            "透明意味着公开谁参加了会议以及作出了哪些决定。",
            "决议草案应提前与民间社会分享。",
        ),
        "ru": (
            "Документы нужно публиковать в открытом формате задолго до заседаний.",
            "Доступ к информации о принятых решениях по-прежнему ограничен.",
            "Прозрачность требует открытых данных об участниках и решениях.",
            "Проекты резолюций следует заранее направлять гражданскому обществу.",
        ),
    },
    "gender": {
        "en": (
            "Women human rights defenders face gender-specific risks, including sexual violence.",
            "Women activists are attacked for challenging traditional roles.",
            "Gender-sensitive protection measures are missing for women and girls.",
            "Women defenders are targeted with threats against their children.",
        ),
        "fr": (
            "Les femmes défenseures sont exposées à des violences sexuelles.",
            "Les militantes sont attaquées parce qu'elles contestent les rôles traditionnels.",
            "Il manque des mesures de protection tenant compte du genre.",
            "Les défenseures reçoivent des menaces visant leurs enfants.",
        ),
        "es": (
            "Las mujeres defensoras enfrentan riesgos específicos, como la violencia sexual.",
            "Las activistas son atacadas por cuestionar los roles tradicionales.",
            "Faltan medidas de protección con perspectiva de género.",
            "A las defensoras las amenazan a través de sus hijos.",
        ),
        "ar": (
            "تواجه المدافعات عن حقوق الإنسان مخاطر خاصة بينها العنف الجنسي.",
            "تتعرض الناشطات للهجوم لأنهن يتحدين الأدوار التقليدية للمرأة.",
            "تغيب تدابير الحماية التي تراعي النوع الاجتماعي للنساء والفتيات.",
            "تستهدف المدافعات بتهديدات موجهة إلى أطفالهن.",
        ),
        "zh": (
            "女性人权维护者面临性暴力等特殊风险。",
            "女性活动人士因挑战传统角色而受到攻击。",
            "缺乏针对妇女和女童的性别敏感保护措施。",
            "女性维护者的孩子也受到威胁。",
        ),
        "ru": (
            "Правозащитницы сталкиваются с особыми рисками, включая сексуальное насилие.",
            "Активисток преследуют за то, что они оспаривают традиционные роли женщин.",
            "Не хватает мер защиты с учетом гендерных особенностей.",
            "Женщинам-правозащитницам угрожают через их детей.",
        ),
    },
    "confidentiality": {
        "en": (
            "Names of participants must stay confidential unless they give their consent.",
            "We only share cases when the victim has given informed consent.",
            "Submissions should be kept confidential so that sources are not exposed.",
            "Reports must never reveal personal details of those who testify.",
        ),
        "fr": (
            "Les noms des participants doivent rester confidentiels sauf consentement explicite.",
            "Nous ne transmettons un cas qu'avec le consentement éclairé de la victime.",
            "Les contributions doivent rester confidentielles pour protéger les sources.",
            "Les rapports ne doivent jamais révéler l'identité des témoins.",
        ),
        "es": (
            "Los nombres de los participantes deben ser confidenciales salvo consentimiento.",
            "Solo compartimos casos con el consentimiento informado de la víctima.",
            "Las comunicaciones deben tratarse de forma confidencial para proteger las fuentes.",
            "Los informes nunca deben revelar datos personales de quienes testifican.",
        ),
        "ar": (
            "يجب الحفاظ على سرية أسماء المشاركين ما لم يعطوا موافقتهم.",
            "لا نشارك أي حالة إلا بموافقة مستنيرة من الضحية.",
            "يجب التعامل مع المساهمات بسرية لحماية المصادر.",
            "لا ينبغي أن تكشف التقارير البيانات الشخصية للشهود.",
        ),
        "zh": (
            "除非本人同意，参与者的姓名必须保密。",
            "只有在受害者知情同意后我们才提交案例。",
            "提交的材料应予保密，以保护信息来源。",
            "报告绝不能泄露作证者的个人信息。",
        ),
        "ru": (
            "Имена участников должны оставаться конфиденциальными без их согласия.",
            "Мы передаем информацию о случае только с информированного согласия пострадавшего.",
            "Материалы нужно хранить конфиденциально, чтобы не раскрыть источники.",
            "В докладах нельзя раскрывать личные данные свидетелей.",
        ),
    },
    "follow_up": {
        "en": (
            "We never received feedback on what happened to our submission.",
            "There should be follow-up on recommendations and a report back to participants.",
            "Consultations feel useless when nobody explains what changed afterwards.",
            "A simple follow up email after each meeting would build trust.",
        ),
        "fr": (
            "Nous n'avons jamais eu de retour sur notre contribution.",
            "Il faut assurer le suivi des recommandations et en rendre compte aux participants.",
            "Les consultations semblent inutiles quand personne n'explique ce qui a changé.",
            "Un suivi régulier après chaque réunion renforcerait la confiance.",
        ),
        "es": (
            "Nunca supimos qué pasó con nuestra contribución.",
            "Debe haber seguimiento de las recomendaciones y un informe a los participantes.",
            "Las consultas parecen inútiles si nadie explica qué cambió después.",
            "Un seguimiento sencillo tras cada reunión generaría confianza.",
        ),
        "ar": (
            "لم نتلق أي رد حول ما حدث لمساهمتنا.",
            "يجب متابعة التوصيات وإبلاغ المشاركين بالنتائج.",
            "تبدو المشاورات بلا جدوى عندما لا يشرح أحد ما الذي تغير بعدها.",
            "المتابعة المنتظمة بعد كل اجتماع تعزز الثقة.",
        ),
        "zh": (
            "我们从未收到关于所提交材料的反馈。",
            "应当跟进各项建议，并向参与者通报结果。",
            "如果没有人说明之后有什么变化，磋商就显得毫无意义。",
            "每次会议后的后续沟通有助于建立信任。",
        ),
        "ru": (
            "Мы так и не получили обратной связи по нашему обращению.",
            "Нужен контроль последующих действий по рекомендациям и отчет перед участниками.",
            "Консультации кажутся бесполезными, когда никто не объясняет, что изменилось.",
            "Регулярная обратная связь после каждой встречи укрепила бы доверие.",
        ),
    },
    "languages": {
        "en": (
            "Calls for input should be translated into local languages, not only English.",
            "Many communities cannot read the documents because there is no interpretation.",
            "Outreach through radio and community networks would reach rural people.",
            "Please publish summaries in plain language so that everyone understands.",
        ),
        "fr": (
            "Les appels à contributions devraient être traduits dans les langues locales.",
            "Sans interprétation, beaucoup de communautés ne comprennent pas les documents.",
            "Une diffusion par la radio communautaire toucherait les zones rurales.",
            "Publiez des résumés en langage simple, compréhensibles par tous.",
        ),
        "es": (
            "Las convocatorias deberían traducirse a las lenguas indígenas y locales.",
            "Sin interpretación muchas comunidades no entienden los documentos.",
            "La difusión por radios comunitarias llegaría a las zonas rurales.",
            "Publiquen resúmenes en lenguaje sencillo para que todos comprendan.",
        ),
        "ar": (
            "يجب ترجمة الدعوات إلى تقديم المساهمات إلى اللغات المحلية.",
            "لا تفهم مجتمعات كثيرة الوثائق لعدم توفر الترجمة الفورية.",
            "التوعية عبر الإذاعة المجتمعية تصل إلى سكان الأرياف.",
            "نرجو نشر ملخصات بلغة بسيطة يفهمها الجميع.",
        ),
        "zh": (
            "征求意见的通知应翻译成当地语言，而不仅是英文。",
            "由于没有口译，许多社区看不懂这些文件。",
            "通过广播和社区网络进行宣传，可以覆盖农村人口。",
            "请用通俗易懂的语言发布摘要。",
        ),
        "ru": (
            "Призывы присылать материалы нужно переводить на местные языки.",
            "Без устного перевода многие общины не понимают документы.",
            "Информирование через радио и местные сети охватит сельских жителей.",
            "Публикуйте краткие изложения простым языком, понятным каждому.",
        ),
    },
    "environment": {
        "en": (
            "Land and environmental defenders are killed for opposing mining projects.",
            "Indigenous communities resisting deforestation are criminalised.",
            "Companies and security forces evict villages to make room for dams.",
            "Activists protecting rivers and forests from pollution are sued by companies.",
        ),
        "fr": (
            "Les défenseurs de la terre sont tués pour s'être opposés aux projets miniers.",
            "Les peuples autochtones qui luttent contre la déforestation sont criminalisés.",
            "Des villages entiers sont expulsés pour construire des barrages.",
            "Les entreprises poursuivent en justice ceux qui dénoncent la pollution des rivières.",
        ),
        "es": (
            "Los defensores del territorio son asesinados por oponerse a la minería.",
            "Las comunidades indígenas que resisten la deforestación son criminalizadas.",
            "Desalojan comunidades enteras para construir represas hidroeléctricas.",
            "Las empresas demandan a quienes denuncian la contaminación de los ríos.",
        ),
        "ar": (
            "يقتل المدافعون عن الأرض والبيئة بسبب معارضتهم لمشاريع التعدين.",
            "تجرم المجتمعات الأصلية التي تقاوم إزالة الغابات.",
            "تطرد قرى بأكملها لإفساح المجال لبناء السدود.",
            "ترفع الشركات دعاوى على الناشطين الذين يكشفون تلوث الأنهار.",
        ),
        "zh": (
            "保护土地和环境的人士因反对采矿项目而遇害。",
            "抵制森林砍伐的原住民社区被定罪。",
            "为了修建水坝，整个村庄被强行驱逐。",
            "揭露河流污染的活动人士被企业起诉。",
        ),
        "ru": (
            "Экологических активистов убивают за противодействие горнодобывающим проектам.",
            "Коренные общины, защищающие леса от вырубки, подвергаются преследованию.",
            "Целые деревни выселяют ради строительства плотин.",
            "Компании подают в суд на активистов, сообщающих о загрязнении рек.",
        ),
    },
}
SUBTOPICS = tuple(PHRASES)

# Sentences about no sub-topic, said in many answers.
FILLERS: dict[str, tuple[str, ...]] = {
    "en": ("Thank you for this consultation.", "This is our organisation's view.",
           "We hope this helps.", "In our country the situation is difficult."),
    "fr": ("Merci pour cette consultation.", "Voici le point de vue de notre association.",
           "Nous espérons que cela sera utile.", "Dans notre pays la situation est difficile."),
    "es": ("Gracias por esta consulta.", "Esta es la opinión de nuestra organización.",
           "Esperamos que sea útil.", "En nuestro país la situación es difícil."),
    "ar": ("شكرا على هذه المشاورة.", "هذا هو رأي منظمتنا.", "نأمل أن يكون هذا مفيدا.",
           "الوضع في بلدنا صعب."),
    "zh": ("感谢这次磋商。", "这是我们组织的看法。", "希望这些意见有所帮助。",
           "我们国家的情况很困难。"),
    "ru": ("Спасибо за эту консультацию.", "Такова позиция нашей организации.",
           "Надеемся, это будет полезно.", "В нашей стране ситуация сложная."),
}  # fmt: skip


@dataclass(frozen=True)
class LabelledAnswer:
    text: str
    language: str
    primary: str  # the sub-topic most of it is written from
    secondary: str | None  # a second sub-topic, or None


def generate(n: int, seed: int = SEED) -> list[LabelledAnswer]:
    """n answers, the languages in turn, each from one or two sub-topics (see the module
    notes); the same n and seed give the same answers."""
    rng = random.Random(seed)
    answers = []
    for i in range(n):
        language = LANGUAGES[i % len(LANGUAGES)]
        primary = rng.choice(SUBTOPICS)
        phrases = PHRASES[primary][language]
        sentences = rng.sample(phrases, rng.choice((1, 2, 2, 3)))
        secondary = None
        if rng.random() < 1 / 3:
            secondary = rng.choice([s for s in SUBTOPICS if s != primary])
            sentences.append(rng.choice(PHRASES[secondary][language]))
        if rng.random() < 0.4:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(FILLERS[language]))
        joiner = "" if language == "zh" else " "
        answers.append(LabelledAnswer(joiner.join(sentences), language, primary, secondary))
    return answers


if __name__ == "__main__":
    for answer in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 12):
        print(f"{answer.language}\t{answer.primary}\t{answer.secondary or ''}\t{answer.text}")
