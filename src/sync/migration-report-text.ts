// What the migration report's renderings share: HTML escaping and the Russian names of the entities (the HTML report is
// for the school's staff).
export const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export const ENTITY_RU: Record<string, string> = {
  mark: 'Отметки', attendance_record: 'Посещаемость', person: 'Обучающиеся', section: 'Группы (класс × предмет)', lesson: 'Уроки', final_mark: 'Итоговые отметки',
  homework: 'Домашние задания',
};
