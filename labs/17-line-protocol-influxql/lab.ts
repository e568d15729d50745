/**
 * Lab 17 — Line protocol and InfluxQL. The student writes points in InfluxDB's line protocol (measurement,
 * tags, fields, timestamp), loads them, and answers questions about a sensor feed the setup seeded — with
 * values drawn per student, graded against InfluxQL ground truth at check time.
 */
import { answer, defineLab, influxql } from '../api.ts';
import setup, { database } from './setup.ts';
import solution from './solution.ts';
import { mistakes } from './mistakes.ts';

export default defineLab({
  number: 17,
  slug: 'line-protocol-influxql',
  module: '09-influxdb',
  title: 'Line protocol and InfluxQL',
  summary: 'Write sensor readings in line protocol, load them into InfluxDB, and answer questions with InfluxQL.',
  services: ['influxdb'],
  workspace: {
    yaml: ['answers/17-line-protocol-influxql.yaml'],
    reload: [],
  },
  objectives: [
    {
      id: 'humidity-written',
      title: 'Humidity readings for the lab room are stored',
      points: 15,
      hint: `Write at least 3 points like humidity,room=lab percent=41.5 into the database "${database}": curl -XPOST 'http://127.0.0.1:8086/write?db=${database}' --data-binary @workspace/influxdb/humidity.lp`,
      check: influxql(`SELECT percent FROM humidity WHERE room = 'lab'`, database).rows('>= 3'),
      deadlineMs: 10_000,
    },
    {
      id: 'room-is-a-tag',
      title: 'room is a tag (indexed), not a field',
      points: 10,
      hint: 'In line protocol, tags come after the measurement and a comma (humidity,room=lab …); fields come after the space.',
      check: influxql('SHOW TAG KEYS FROM humidity', database).rows('== 1', { where: { tagKey: 'room' } }),
      needs: ['humidity-written'],
      deadlineMs: 5_000,
    },
    {
      id: 'percent-is-a-float',
      title: 'percent is stored as a number, not as a string',
      points: 10,
      hint: 'A field value in quotes is a string ("41.5"); write it bare (41.5) to make it a float.',
      check: influxql('SHOW FIELD KEYS FROM humidity', database).rows('== 1', { where: { fieldKey: 'percent', fieldType: 'float' } }),
      needs: ['humidity-written'],
      deadlineMs: 5_000,
    },
    {
      id: 'warmest-room',
      title: 'You found the warmest room of the seeded hour',
      points: 15,
      hint: 'SELECT mean(celsius) FROM room_temperature GROUP BY room — and write the room with the highest mean as warmest_room.',
      check: answer('warmest_room').equals(influxql('SELECT mean(celsius) FROM room_temperature GROUP BY room', database).topTag('room')),
      deadlineMs: 5_000,
    },
    {
      id: 'peak-temperature',
      title: 'You found the highest temperature of the hour, to the tenth of a degree',
      points: 10,
      hint: 'SELECT max(celsius) FROM room_temperature — write it as peak_celsius.',
      check: answer('peak_celsius').near(influxql('SELECT max(celsius) FROM room_temperature', database).scalar(), { absolute: 0.05 }),
      deadlineMs: 5_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
