import type { LesionLabel } from '@/inference/inference.types';
import type { DiseaseCard } from './en';

/** Portuguese disease cards, translated from the English ones (./en.ts). */
export const ptCards: Record<LesionLabel, DiseaseCard> = {
  akiec: {
    name: 'Queratose actínica ou doença de Bowen',
    what: 'Uma mancha áspera causada por muitos anos de sol na pele. É uma alteração precoce, só na superfície, que às vezes, se não for tratada, pode transformar-se num cancro (câncer) de pele chamado carcinoma de células escamosas (espinocelular). É comum em pessoas mais velhas de pele clara.',
    signs:
      'Uma mancha seca, áspera, com escamas ou crosta, em geral com menos de 2 cm, em pele exposta ao sol: rosto, couro cabeludo, orelhas, braços, costas das mãos. Pode ser rosada, vermelha, castanha ou cinzenta e ao toque parece lixa.',
    treatment:
      'Em geral é simples: um creme ou gel, congelação (crioterapia), tratamento com luz ou uma pequena cirurgia. Um médico escolhe o mais adequado.',
    complications:
      'Uma pequena parte destas manchas torna-se lentamente cancro (câncer) de pele; por isso um médico deve vê-las e tratá-las cedo. Proteger-se do sol ajuda a evitar novas manchas.',
  },
  bcc: {
    name: 'Carcinoma basocelular',
    what: 'O cancro (câncer) de pele mais comum. Cresce devagar e quase nunca se espalha para outros órgãos, mas se não for tratado continua a crescer na pele à volta.',
    signs:
      'Um caroço brilhante, perolado ou transparente, às vezes com pequenos vasos de sangue; uma ferida que sangra, faz crosta e não sara; ou uma mancha vermelha, plana e com escamas, ou uma zona parecida com uma cicatriz. Em geral no rosto, nas orelhas ou no pescoço.',
    treatment:
      'Em geral é retirado com uma pequena cirurgia. Raspar e queimar (curetagem e eletrocoagulação), radioterapia, cremes ou comprimidos são outras opções que o médico pode escolher.',
    complications:
      'Sem tratamento pode danificar a pele, os nervos ou partes próximas como o olho, e pode voltar depois do tratamento; por isso as consultas de controlo são importantes.',
  },
  bkl: {
    name: 'Queratose benigna (por exemplo queratose seborreica)',
    what: 'Um crescimento inofensivo da camada de cima da pele, comum com a idade e o sol. Não é cancro (câncer), mas algumas parecem-se com um; por isso um médico deve confirmar.',
    signs:
      'Um caroço castanho, preto ou bege que parece de cera ou “colado” na pele, às vezes áspero. Pode aparecer em qualquer lugar, menos nas palmas das mãos e nas plantas dos pés.',
    treatment:
      'Não precisa de tratamento. Se ficar irritado, prender na roupa ou incomodar, um médico pode retirá-lo com frio, raspagem ou laser.',
    complications:
      'Pode ficar irritado, inflamado ou infetado depois de fricção. O principal risco é confundi-lo com um cancro (câncer) de pele; por isso ajuda que um médico o veja.',
  },
  df: {
    name: 'Dermatofibroma',
    what: 'Um carocinho firme e inofensivo na pele, talvez uma reação a uma pequena lesão, como uma picada de inseto. É mais comum nas mulheres.',
    signs:
      'Um caroço redondo, firme e pequeno (em geral com menos de 1 cm), rosado, castanho ou cinzento, quase sempre na parte de baixo das pernas. Afunda para dentro quando se aperta e pode doer um pouco ou dar comichão (coceira).',
    treatment: 'Não precisa de tratamento. Pode ser retirado com uma pequena cirurgia se doer ou incomodar.',
    complications:
      'Raramente fica dorido ou infetado depois de um corte ao fazer a barba ou depilar. Pode parecer-se com outros caroços; deixe um médico confirmar.',
  },
  mel: {
    name: 'Melanoma',
    what: 'O tipo mais grave de cancro (câncer) de pele. Começa nas células que dão cor à pele. Se for encontrado cedo, em geral cura-se com uma cirurgia simples. Se for encontrado tarde, pode espalhar-se para outras partes do corpo.',
    signs:
      'Um sinal (pinta) novo, ou um sinal que muda. Sinais de alarme (ABCDE): Assimetria, Bordas irregulares, várias Cores, Diâmetro maior que 6 mm e Evolução (muda). Também pode dar comichão (coceira) ou sangrar. Pode aparecer em qualquer parte do corpo.',
    treatment:
      'Retirada por cirurgia, com exames para ver se se espalhou. Algumas pessoas precisam de mais tratamento, como imunoterapia. Um especialista decide o plano de tratamento.',
    complications:
      'Se não for tratado cedo, pode espalhar-se para os gânglios linfáticos (ínguas) e para os órgãos. Por isso um possível melanoma deve ser visto por um médico depressa.',
  },
  nv: {
    name: 'Nevo melanocítico (sinal ou pinta comum)',
    what: 'Um sinal (pinta) normal: um grupo inofensivo de células de pigmento. Quase toda a gente tem alguns.',
    signs:
      'Uma manchinha redonda ou oval, castanha, bege ou preta, com cor e forma regulares. Pode ser plana ou saliente, e pode ter pelos.',
    treatment: 'Não precisa de tratamento. Um médico pode retirá-lo se tiver uma aparência estranha ou incomodar.',
    complications:
      'Muito raramente um sinal transforma-se em melanoma. Procure um médico se um sinal mudar de tamanho, forma ou cor, sangrar ou der comichão (coceira).',
  },
  vasc: {
    name: 'Lesão vascular (por exemplo angioma rubi)',
    what: 'Uma mancha feita de pequenos vasos de sangue. A maioria é inofensiva, como os angiomas rubi (pontos vermelhos), as aranhas vasculares ou as marcas de nascença.',
    signs:
      'Uma mancha ou carocinho vermelho, roxo ou azul, às vezes com bordas bem definidas; pode ficar pálido quando se carrega em cima.',
    treatment: 'Em geral nenhum. Se sangrar muitas vezes ou incomodar, um médico pode tratá-lo, por exemplo com laser.',
    complications:
      'Pode sangrar se for coçado. Raramente, em crianças, um cresce depressa ou afeta os olhos ou a respiração: nesse caso procure um médico.',
  },
};
